/**
 * `ras contract apply` also takes a recorded stream: a JSON array of events, or one event per
 * line (NDJSON), applied in order. This only splits the text; each event is then parsed and
 * checked on its own, so one bad event is refused without hiding the others.
 */

/** The events in `text`, each as JSON text; a single event (or unreadable text) comes back whole. */
export function splitEvents(text: string): string[] {
  const whole = tryParse(text);
  if (whole.ok) return Array.isArray(whole.value) ? whole.value.map((e) => JSON.stringify(e)) : [text];
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  // NDJSON only when every line is JSON on its own; otherwise report the text as malformed, whole.
  return lines.length > 1 && lines.every((l) => tryParse(l).ok) ? lines : [text];
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
