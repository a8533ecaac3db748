// Compiles every workspace project (libs, services, system-test helpers) into dist/ with swc, keeping the
// source tree's shape so that `@trustline/*` aliases can be rewritten to relative paths: dist/ runs on plain
// `node` with no path-mapping hook and no workspace symlinks. Type checking is `npm run typecheck` (tsc).
import { transformFile } from '@swc/core';
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist');
const roots = ['libs', 'services'];
const skip = /(\.spec|\.integration-spec|\.e2e-spec)\.ts$|\.d\.ts$/;

const swcrc = JSON.parse(await readFile(join(root, '.swcrc'), 'utf8'));
const tsconfig = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8'));
const options = {
  ...swcrc,
  swcrc: false,
  jsc: { ...swcrc.jsc, baseUrl: root, paths: tsconfig.compilerOptions.paths },
};

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === '__fixtures__') {
        continue;
      }
      yield* walk(path);
    } else if (entry.name.endsWith('.ts') && !skip.test(entry.name)) {
      yield path;
    }
  }
}

const started = Date.now();
await rm(outDir, { recursive: true, force: true });
const files = [];
for (const top of roots) {
  for (const project of await readdir(join(root, top)).catch(() => [])) {
    for (const sub of ['src', 'bench', 'test']) {
      for await (const file of walk(join(root, top, project, sub))) {
        files.push(file);
      }
    }
  }
}
for await (const file of walk(join(root, 'test'))) {
  files.push(file);
}

await Promise.all(
  files.map(async (file) => {
    const rel = relative(root, file);
    const target = join(outDir, rel.replace(/\.ts$/, '.js'));
    const { code, map } = await transformFile(file, {
      ...options,
      filename: file,
      sourceFileName: relative(dirname(target), file),
    });
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
    if (map) {
      await writeFile(`${target}.map`, map);
    }
  }),
);
// swc compiles .ts only: the gRPC protos are read at run time (consentProtoPath() in @trustline/contracts), so they
// are copied to the same place in dist/.
const protoDir = join(root, 'libs', 'contracts', 'proto');
const protos = (await readdir(protoDir, { recursive: true }).catch(() => [])).filter((file) => file.endsWith('.proto'));
await Promise.all(
  protos.map(async (file) => {
    const target = join(outDir, relative(root, join(protoDir, file)));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(protoDir, file), target);
  }),
);
console.log(`built ${files.length} files and copied ${protos.length} protos into dist/ in ${Date.now() - started} ms`);
