// Validates each OpenAPI document named on the command line with
// @apidevtools/swagger-parser (schema and $ref checks); exits 1 naming the
// first problem of each document that fails.
"use strict";
const SwaggerParser = require("@apidevtools/swagger-parser");

async function main(files) {
  let failed = 0;
  for (const file of files) {
    try {
      await SwaggerParser.validate(file);
      console.log(`swagger-parser: ${file}: valid`);
    } catch (e) {
      console.error(`swagger-parser: ${file}: ${e.message}`);
      failed += 1;
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main(process.argv.slice(2));
