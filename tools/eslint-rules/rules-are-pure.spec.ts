import * as tsParser from '@typescript-eslint/parser';
import { RuleTester } from 'eslint';
import rule from './rules-are-pure.mjs';

const ruleTester = new RuleTester({ languageOptions: { parser: tsParser } });
const rulesFile = 'services/consent/src/consent/opt-out.rules.ts';
const impure = (code: string, source: string) => ({
  code,
  filename: rulesFile,
  errors: [{ messageId: 'impure', data: { source } }],
});

ruleTester.run('rules-are-pure', rule, {
  valid: [
    { code: "import { Regime } from '@trustline/contracts';", filename: rulesFile },
    { code: "import { createHash } from 'node:crypto';", filename: rulesFile },
    { code: "import { keywords } from './keywords';", filename: rulesFile },
    // `pg-…` packages and packages that merely start with a forbidden name are not the driver.
    { code: "import format from 'pgformat-lite';", filename: rulesFile },
    // The same imports are fine outside *.rules.ts.
    {
      code: "import { Injectable } from '@nestjs/common';",
      filename: 'services/consent/src/consent/consent.service.ts',
    },
    {
      code: "import { readFile } from 'node:fs/promises';",
      filename: 'services/consent/src/consent/opt-out.rules.spec.ts',
    },
  ],
  invalid: [
    impure("import { Injectable } from '@nestjs/common';", '@nestjs/common'),
    impure("import { Repository } from 'typeorm';", 'typeorm'),
    impure(
      "import type { EntityManager } from 'typeorm/entity-manager/EntityManager';",
      'typeorm/entity-manager/EntityManager',
    ),
    impure("import { Pool } from 'pg';", 'pg'),
    impure("import { jetstream } from '@nats-io/jetstream';", '@nats-io/jetstream'),
    impure("import { PGlite } from '@electric-sql/pglite';", '@electric-sql/pglite'),
    impure("import { readFileSync } from 'node:fs';", 'node:fs'),
    impure("import { readFile } from 'fs/promises';", 'fs/promises'),
    impure("import { connect } from 'node:net';", 'node:net'),
    impure("import { request } from 'node:http';", 'node:http'),
    impure("export { Pool } from 'pg';", 'pg'),
    impure("export * from '@nestjs/core';", '@nestjs/core'),
    impure("const pg = require('pg');", 'pg'),
    impure("import pg = require('pg');", 'pg'),
    impure("export async function load() { return import('node:fs'); }", 'node:fs'),
    {
      code: "import { Injectable } from '@nestjs/common';\nimport { Pool } from 'pg';",
      filename: 'libs/data-holder/src/lib/sweep.rules.ts',
      errors: [
        { messageId: 'impure', data: { source: '@nestjs/common' }, line: 1 },
        { messageId: 'impure', data: { source: 'pg' }, line: 2 },
      ],
    },
  ],
});
