import { escapeMarkdown } from '../format.js';
import type { Translate } from '../i18n/index.js';
import type { Platform } from '../types.js';

/**
 * The message a report is about ("Melden bij Vangnet" on a post): where it was, when and by whom, so the expert can
 * find it, and a link to it. Never its text, images or attachments: names in free text cannot be removed reliably,
 * and the original stays where it was, under that platform's own retention.
 */
export interface MessageSource {
  readonly platform: Platform;
  readonly place: 'channel' | 'group' | 'personal';
  /** Team and channel name, when the platform says. */
  readonly placeName?: string;
  readonly author?: string;
  readonly sentAt?: string;
  /** A link that opens the message on its platform (https only). */
  readonly link?: string;
}

const PLACES = ['channel', 'group', 'personal'] as const;

/** A message source from what a channel sent, checked and reduced to what may be kept. */
export function messageSourceFrom(
  platform: Platform,
  data: {
    readonly author?: string;
    readonly sentAt?: string;
    readonly link?: string;
    readonly place?: string;
    readonly placeName?: string;
  },
): MessageSource {
  const sent = data.sentAt ? new Date(data.sentAt) : undefined;
  return {
    platform,
    place: (PLACES as readonly string[]).includes(data.place ?? '')
      ? (data.place as MessageSource['place'])
      : 'group',
    placeName: data.placeName?.trim().slice(0, 100) || undefined,
    author: data.author?.trim().slice(0, 100) || undefined,
    sentAt: sent && !Number.isNaN(sent.getTime()) ? sent.toISOString() : undefined,
    link: data.link && /^https:\/\/[^\s<>"()]+$/.test(data.link) ? data.link : undefined,
  };
}

/** Where the message was, in words: "kanaal Klas 2B › Algemeen", "een groepschat". */
export function placeText(source: MessageSource, t: Translate): string {
  if (source.place === 'channel')
    return source.placeName ? t('source.channelNamed', { name: source.placeName }) : t('source.channel');
  return t(source.place === 'group' ? 'source.group' : 'source.personal');
}

/**
 * The reported message as card markdown: author, time and place on one line, the snippet quoted, and a link to open
 * it. Everything the poster wrote is escaped.
 */
export function messageSourceMarkdown(
  source: MessageSource,
  t: Translate,
  formatTime: (iso: string) => string,
) {
  const line = [
    source.author ? escapeMarkdown(source.author) : t('source.unknownAuthor'),
    source.sentAt ? formatTime(source.sentAt) : '',
    escapeMarkdown(placeText(source, t)),
  ]
    .filter(Boolean)
    .join(' · ');
  const parts = [line];
  if (source.link) parts.push(`[${t('source.open')}](${source.link})`);
  return parts.join('\n\n');
}
