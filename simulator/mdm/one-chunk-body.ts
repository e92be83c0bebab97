/**
 * A request body of one chunk with the reader interface the app's body reading uses: lighter
 * than a WHATWG ReadableStream, which costs a stream and an AbortSignal per request.
 */
export function oneChunkBody(read: () => Promise<ArrayBuffer | Uint8Array>) {
  return {
    getReader() {
      let done = false;
      return {
        async read(): Promise<{ done: boolean; value: Uint8Array | undefined }> {
          if (done) return { done: true, value: undefined };
          done = true;
          const chunk = await read();
          const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk);
          return bytes.byteLength > 0 ? { done: false, value: bytes } : { done: true, value: undefined };
        },
        async cancel(): Promise<void> {
          done = true;
        },
        releaseLock(): void {},
      };
    },
  };
}

export type OneChunkBody = ReturnType<typeof oneChunkBody>;
