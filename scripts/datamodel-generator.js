#!/usr/bin/env node
// A Prisma generator (run by `prisma generate`) that writes the parsed data model (Prisma's DMMF:
// models, fields with native types, indexes, relations) to JSON. The schema-vs-migrations test
// compares it with the database the migrations build; Prisma's own diffing needs the schema
// engine, which these machines cannot download.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { generatorHandler } = require('@prisma/generator-helper');

generatorHandler({
  onManifest: () => ({ prettyName: 'Data model JSON', defaultOutput: './datamodel.json' }),
  onGenerate: async (options) => {
    const output = options.generator.output.value;
    fs.mkdirSync(path.dirname(output), { recursive: true });
    const { models, enums, indexes } = options.dmmf.datamodel;
    fs.writeFileSync(output, JSON.stringify({ models, enums, indexes }, null, 2));
  },
});
