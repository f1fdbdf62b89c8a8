// `bulkfill … --json | head`: the reader goes away early, and bulkfill ends quietly — no EPIPE trace,
// the run itself unaffected.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCode, spawnBin } from '../helpers/bin.js';
import { sandbox } from '../helpers/sandbox.js';
import { quietSeededStoreFile } from '../helpers/store-builder.js';

describe('--json piped into a reader that stops early', () => {
  it('ends quietly with the run’s own exit code', async () => {
    const sb = await sandbox({ fixturePath: quietSeededStoreFile(1500, 3), timeScale: 50 });
    const env = {
      SHOPIFY_STORE: sb.url,
      SHOPIFY_ACCESS_TOKEN: sb.token,
      BULKFILL_STATE_DIR: mkdtempSync(join(tmpdir(), 'bulkfill-pipe-')),
      CI: 'true',
    };
    const child = spawnBin(
      ['cancel', '--query', 'status:open', '--reason', 'other', '--refund', 'later', '--no-restock', '--dry-run', '--json'],
      env,
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `head -c 200`: read a little, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await exitCode(child);
    expect(code, JSON.stringify(stderr)).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(stderr).toMatch(/Dry run: nothing changed/);
  }, 60_000);
});
