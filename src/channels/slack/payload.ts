/** Slack event and interaction payloads: loosely typed JSON, read field by field with checks. */
// biome-ignore lint/suspicious/noExplicitAny: Slack's payloads are loosely typed JSON
export type SlackBody = Record<string, any>;

/** The one slash command Vangnet registers (see manifest/slack/manifest.yml). */
export const SLASH_COMMAND = '/vangnet';
