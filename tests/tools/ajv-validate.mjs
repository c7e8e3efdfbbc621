// Validates cluster specs against a JSON Schema (draft-07) with ajv, for tests/validators_agree.rs.
//
//   node ajv-validate.mjs NODE_MODULES SCHEMA FILE...
//
// NODE_MODULES is the directory holding the pinned packages (ajv, smol-toml): the script lives
// in the repository, its dependencies under target/, so it loads them from there. Files ending
// in .json are parsed as JSON, every other file as TOML (smol-toml), as limitkb does.
//
// Prints one JSON array on stdout, an entry per file in argument order:
//   {"file", "parsed": bool, "valid": bool|null, "limitations": [ids], "errors": [...]}
// where `limitations` are the sorted distinct `x-limitation` ids named on the failing
// subschemas, and `errors` are ajv's errors (instancePath, schemaPath, keyword, message).
// Exits 0 whatever the verdicts; 2 on bad usage or an unusable schema.

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const [nodeModules, schemaPath, ...files] = process.argv.slice(2);
if (!nodeModules || !schemaPath || files.length === 0) {
  console.error("usage: node ajv-validate.mjs NODE_MODULES SCHEMA FILE...");
  process.exit(2);
}

const require = createRequire(join(nodeModules, "ajv-validate.cjs"));
const Ajv = require("ajv").default; // the default export validates draft-07
const { parse: parseToml } = require("smol-toml");

const LIMITATION_KEYWORD = "x-limitation";
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));

// Strict mode: an unknown keyword, an unknown format or a type-less applicator is an error
// when the schema compiles, so a schema that only lenient validators accept fails the test.
const ajv = new Ajv({ strict: true, allErrors: true });
// An annotation: it names the limitation a subschema enforces and never fails on its own.
ajv.addKeyword({ keyword: LIMITATION_KEYWORD, schemaType: "string" });

let validate;
try {
  validate = ajv.compile(schema);
} catch (e) {
  console.error(`ajv cannot compile ${schemaPath}: ${e.message}`);
  process.exit(2);
}

/** The limitation named on the innermost subschema along a JSON pointer into the schema. */
function limitationAt(pointer) {
  let node = schema;
  let found = null;
  for (const raw of pointer.replace(/^#/, "").split("/").slice(1)) {
    const segment = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !(segment in node)) break;
    node = node[segment];
    if (node && typeof node === "object" && typeof node[LIMITATION_KEYWORD] === "string") {
      found = node[LIMITATION_KEYWORD];
    }
  }
  return found;
}

function parseFile(file, text) {
  const withoutBom = text.replace(/^\uFEFF/, "");
  return file.toLowerCase().endsWith(".json") ? JSON.parse(withoutBom) : parseToml(withoutBom);
}

const results = files.map((file) => {
  let data;
  try {
    data = parseFile(file, readFileSync(file, "utf8"));
  } catch (e) {
    return { file, parsed: false, valid: null, limitations: [], errors: [String(e.message)] };
  }
  const valid = validate(data);
  const errors = (validate.errors ?? []).map((e) => ({
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    keyword: e.keyword,
    message: e.message,
  }));
  const limitations = [
    ...new Set(errors.map((e) => limitationAt(e.schemaPath)).filter((id) => id !== null)),
  ].sort();
  return { file, parsed: true, valid, limitations, errors };
});

process.stdout.write(JSON.stringify(results, null, 2) + "\n");
