/**
 * Best-effort removal of personal data from free text before it is stored for knowledge editors
 * (unanswered questions). Removes e-mail addresses, phone numbers, URLs, @handles, long numbers and
 * capitalised words that are not at the start of a sentence (likely names), then caps the length.
 */
export function scrubPersonalData(text: string, maxChars = 200): string {
  return text
    .replace(/\S+@\S+\.\S+/g, '[e-mail]')
    .replace(/\bhttps?:\/\/\S+|\bwww\.\S+/gi, '[link]')
    .replace(/(?:\+|\b)\d[\d\s-]{6,}\d\b/g, '[nummer]')
    .replace(/@[\p{L}\p{N}_.]+/gu, '[naam]')
    .replace(/\b\d{3,}\b/g, '[nummer]')
    .replace(/([^.!?\n]\s+)\p{Lu}[\p{L}'’-]+/gu, '$1[naam]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxChars);
}
