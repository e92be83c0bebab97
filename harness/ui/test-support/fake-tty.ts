import { EventEmitter } from 'node:events';

/** A terminal-like stdout for Ink: isTTY, a size, and everything written. */
export class FakeTtyOut extends EventEmitter {
  isTTY: boolean;
  columns: number;
  rows: number;
  written = '';
  constructor(isTTY = true, columns = 100, rows = 30) {
    super();
    this.isTTY = isTTY;
    this.columns = columns;
    this.rows = rows;
  }
  write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    this.written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  asStream(): NodeJS.WriteStream {
    return this as unknown as NodeJS.WriteStream;
  }
}

/** A terminal-like stdin for Ink; `type` delivers keys as a terminal would. */
export class FakeTtyIn extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  type(keys: string) {
    this.data = keys;
    this.emit('readable');
    this.emit('data', keys);
  }
  asStream(): NodeJS.ReadStream {
    return this as unknown as NodeJS.ReadStream;
  }
}
