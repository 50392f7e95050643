import type { StringKey } from './nl.js';

/** English strings: the second language. Must have every key of `nl`. */
export const en: Record<StringKey, string> = {
  'help.title': 'Hi, I am Vangnet',
  'help.intro':
    'I help you when something goes wrong online with pupils or colleagues: what to do now, what not to do and whom to involve.',
  'help.ask': 'Just ask in your own words, for example: “a nude photo is going round the class app”.',
  'help.report': 'Type **melding** to report an incident step by step to the right person in school.',
  'help.tips': 'Type **tips aan** in a channel for one practical tip a week.',
  'help.privacy': 'Never name pupils in full in a channel. Use initials.',
  'help.examples': 'Try for example',
  'help.example1': 'pupil account hacked',
  'help.example2': 'threat on tiktok',
  'help.example3': 'who is the confidential adviser',
  'help.summary': 'Vangnet: ask about online incidents, or type “melding”.',
  'answer.summary': 'Answer from Vangnet: {title}',
  'answer.firstSteps': 'What to do now',
  'answer.related': 'See also',
  'answer.readMore': 'Read more',
  'answer.helpful': 'Did this help?',
  'answer.yes': 'Yes',
  'answer.no': 'No',
  'answer.askExpert': 'Ask an expert',
  'answer.report': 'Report an incident',
  'answer.otherMatches': 'Did you mean',
  'article.summary': 'Article: {title}',
  'article.backToHelp': 'What can Vangnet do?',
  'unknown.title': 'I do not have a good answer to that (yet)',
  'unknown.body':
    'I kept your question without personal data so the knowledge base can be improved. Try other words, or ask an expert in school.',
  'unknown.summary': 'Vangnet has no answer to this.',
  'feedback.thanks': 'Thanks, glad it helped.',
  'feedback.sorry': 'Sorry. I noted it so this article can be improved. Would you like to ask an expert?',
  'expert.soon':
    'Asking an expert will soon be possible through **melding**. Until then, contact the confidential adviser or the school management.',
  'error.generic': 'Something went wrong while handling your message. Please try again.',
  'error.unknownAction': 'This button no longer works. Please ask your question again.',
  'error.unknownArticle': 'That article does not exist (any more).',
  'error.tooLong': 'Your message is too long. Keep it short, at most {max} characters.',
};
