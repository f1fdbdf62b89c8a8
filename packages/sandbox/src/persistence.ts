// --state <file>: the store is saved (atomically: write then rename) shortly after each change and
// on close, and loaded from there on the next start.
import { randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import type { StoreData } from './store/model.js';

export class StateSaver {
  private timer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly data: () => StoreData,
    private readonly delayMs = 200,
  ) {}

  /** Saves soon; many changes in a burst make one write. */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.saving = this.saving.then(async () => {
      const tmp = `${this.path}.${randomUUID()}.tmp`;
      await writeFile(tmp, JSON.stringify(this.data()));
      await rename(tmp, this.path);
    });
    return this.saving;
  }
}
