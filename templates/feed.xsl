<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an RSS, podcast or Atom feed as a page when a browser opens it.
     Browsers without XSLT ignore this; feed.js renders the page there. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
  exclude-result-prefixes="atom itunes">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="kind">
    <xsl:choose>
      <xsl:when test="/atom:feed">Atom</xsl:when>
      <xsl:when test="/rss/channel/itunes:author">Podcast</xsl:when>
      <xsl:otherwise>RSS</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <html lang="{/rss/channel/language | /atom:feed/@xml:lang}">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (<xsl:value-of select="$kind"/> feed)</title>
        <style>
          body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1.5rem;color:#1d1d1f;background:#fff}
          .about{background:#fff6d6;border:1px solid #e8d48a;border-radius:8px;padding:1rem}
          code{word-break:break-all}.entries{list-style:none;padding:0}.entries li{border-bottom:1px solid #ddd;padding:.5rem 0}
          h2{font-size:1.15rem;margin:.5rem 0 0}.date{color:#666;margin:0}a{color:#0b57d0}
          @media (prefers-color-scheme:dark){body{background:#111;color:#eee}.about{background:#2a2513;border-color:#6b5b1f}a{color:#8ab4f8}}
        </style>
      </head>
      <body>
        <div class="about">
          <strong>This is a feed (<xsl:value-of select="$kind"/>). </strong>
          Copy its URL from the address bar into your feed reader or podcast app to subscribe.
        </div>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/></p>
        <p><a href="{/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href}">Visit the website &#8594;</a></p>
        <ol class="entries">
          <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
        </ol>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="date"><xsl:value-of select="substring(pubDate, 1, 16)"/></p>
      <p><xsl:value-of select="description"/></p>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="date"><xsl:value-of select="substring(atom:published | atom:updated[not(../atom:published)], 1, 10)"/></p>
      <p><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>
</xsl:stylesheet>
