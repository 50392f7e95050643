/**
 * Slack mrkdwn. Text from the knowledge base and the cards is markdown-ish; text users wrote must never ping
 * (<!channel>, <!here>, <@U…>) or link (<https://…|…>) anyone.
 */

/** Escapes the three characters Slack treats as control characters, which neutralises every <…> sequence. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Card markdown (Adaptive Card TextBlock subset) to mrkdwn: **bold** → *bold*, [label](url) → <url|label>,
 * backslash escapes dropped. Everything is escaped first, so only the links made here become links.
 */
export function markdownToMrkdwn(text: string): string {
  // Markdown escapes of the control characters go first, so "\>" does not end up as "\&gt;".
  return escapeMrkdwn(text.replace(/\\([<>&])/g, '$1'))
    .replace(
      /\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g,
      (_m, label: string, url: string) => `<${url}|${label.replace(/\|/g, '')}>`,
    )
    .replace(/\*\*([^*]+)\*\*/g, '*$1*')
    .replace(/\\([\\`*_[\]()#>~|.+-])/g, '$1');
}

/** Truncates to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
