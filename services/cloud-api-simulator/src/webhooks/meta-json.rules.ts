/**
 * JSON as Meta writes it: non-ASCII as lowercase `\uXXXX` (UTF-16 units, so emoji become surrogate pairs) and `/` as
 * `\/`. The signature covers these exact bytes, so a receiver that re-serialises the parsed body fails to verify it.
 */
export function toMetaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}
