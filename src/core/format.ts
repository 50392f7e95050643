/**
 * Text a user wrote, made safe for Adaptive Card TextBlocks (a markdown subset) and Slack mrkdwn: markup
 * characters are escaped so user text cannot bold, link, list or mention anything.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]()#>~|]/g, (c) => `\\${c}`)
    .replace(/^(\s*)(\d+)\./gm, '$1$2\\.')
    .replace(/^(\s*)([-+])/gm, '$1\\$2');
}
