/**
 * Text ↔ deflate-raw ↔ base64, with the platform's CompressionStream (browsers and Node ≥ 18;
 * no dependency). Pair and log chunks are compressed because a pair's fingerprint is a few dozen
 * characters: uncompressed, 30,000 pairs would need about 200 values of 10,000 characters.
 */

/** Streams `bytes` through the transform using only the stream objects themselves (no Blob or Response, which DOM test environments replace). */
async function pipe(bytes: Uint8Array<ArrayBuffer>, transform: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const writer = transform.writable.getWriter();
  // Not awaited before reading: the transform only drains while someone reads.
  const written = writer.write(bytes).then(() => writer.close());
  // If reading fails first, this rejects too; the read error is the one reported.
  written.catch(() => undefined);
  const reader = transform.readable.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    length += value.length;
  }
  await written;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function toBase64(bytes: Uint8Array<ArrayBuffer>): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export async function deflateToBase64(text: string): Promise<string> {
  return toBase64(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
}

/** Throws on anything that is not base64 of deflate-raw data. */
export async function inflateFromBase64(text: string): Promise<string> {
  return new TextDecoder('utf-8', { fatal: true }).decode(await pipe(fromBase64(text), new DecompressionStream('deflate-raw')));
}
