/** Dutch product strings: the product language. Keys are shared with `en.ts` (checked by the type). */
export const nl = {
  'help.title': 'Hoi, ik ben Vangnet',
  'help.intro':
    'Ik help je als er online iets misgaat met leerlingen of collega’s: wat je nu doet, wat je beter niet doet en wie je inschakelt.',
  'help.ask':
    'Stel je vraag gewoon in je eigen woorden, bijvoorbeeld: “er gaat een naaktfoto rond in de klassenapp”.',
  'help.report':
    'Typ **melding** om een incident stap voor stap door te geven aan de juiste persoon op school.',
  'help.tips': 'Typ **tips aan** in een kanaal voor één praktische tip per week.',
  'help.privacy': 'Noem nooit volledige namen van leerlingen in een kanaal. Gebruik initialen.',
  'help.examples': 'Probeer bijvoorbeeld',
  'help.example1': 'account van een leerling gehackt',
  'help.example2': 'bedreiging op tiktok',
  'help.example3': 'wie is de vertrouwenspersoon',
  'help.summary': 'Vangnet: stel je vraag over online incidenten, of typ “melding”.',
  'answer.summary': 'Antwoord van Vangnet: {title}',
  'answer.firstSteps': 'Wat doe je nu',
  'answer.related': 'Zie ook',
  'answer.readMore': 'Lees meer',
  'answer.helpful': 'Hielp dit?',
  'answer.yes': 'Ja',
  'answer.no': 'Nee',
  'answer.askExpert': 'Vraag een expert',
  'answer.report': 'Melding maken',
  'answer.otherMatches': 'Bedoelde je misschien',
  'article.summary': 'Artikel: {title}',
  'article.backToHelp': 'Wat kan Vangnet?',
  'unknown.title': 'Daar weet ik (nog) geen goed antwoord op',
  'unknown.body':
    'Ik heb je vraag bewaard zonder persoonsgegevens, zodat we de kennisbank kunnen aanvullen. Probeer het anders te formuleren, of vraag een expert op school.',
  'unknown.summary': 'Vangnet weet hier geen antwoord op.',
  'feedback.thanks': 'Dank je, fijn dat het hielp.',
  'feedback.sorry':
    'Jammer. Ik heb het genoteerd zodat we dit artikel kunnen verbeteren. Wil je een expert vragen?',
  'expert.soon':
    'Een expert vragen kan straks via **melding**. Tot die tijd: neem contact op met de vertrouwenspersoon of de schoolleiding.',
  'error.generic': 'Er ging iets mis bij het verwerken van je bericht. Probeer het nog eens.',
  'error.unknownAction': 'Deze knop werkt niet meer. Stel je vraag opnieuw.',
  'error.unknownArticle': 'Dat artikel bestaat niet (meer).',
  'error.tooLong': 'Je bericht is te lang. Houd het kort, maximaal {max} tekens.',
} as const;

export type StringKey = keyof typeof nl;
