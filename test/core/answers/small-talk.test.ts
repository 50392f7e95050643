import assert from 'node:assert/strict';
import { questionLanguage } from '../../../src/core/answers/language.js';
import { roleQuestion } from '../../../src/core/answers/role-question.js';
import { smallTalk } from '../../../src/core/answers/small-talk.js';

describe('small talk', () => {
  it('recognises thanks, goodbyes and "stop", with fillers and punctuation', () => {
    for (const t of [
      'bedankt!',
      'Dank je wel',
      'top, bedankt',
      'oké dank je',
      'thanks a lot',
      'super, heel fijn',
    ])
      assert.equal(smallTalk(t), 'thanks', t);
    for (const t of ['doei', 'fijne dag!', 'tot ziens']) assert.equal(smallTalk(t), 'bye', t);
    for (const t of ['stop', 'Stop.', 'laat maar', 'nee dank je']) assert.equal(smallTalk(t), 'stop', t);
  });

  it('is never a question with a topic in it', () => {
    for (const t of [
      'bedankt, maar wat doe ik met de screenshots',
      'stop het pesten in de klas',
      'dank je, en als het een nepaccount is?',
      '',
    ])
      assert.equal(smallTalk(t), undefined, t);
  });
});

describe('who-questions', () => {
  it('names the role asked about', () => {
    assert.deepEqual(roleQuestion('wie is de vertrouwenspersoon'), ['vertrouwenspersoon']);
    assert.deepEqual(roleQuestion('Wie is de aandachtsfunctionaris bij ons?'), ['aandachtsfunctionaris']);
    assert.deepEqual(roleQuestion('wie is onze anti-pestcoördinator'), ['aanspreekpunt-pesten']);
    assert.deepEqual(roleQuestion('who is the confidential adviser at our school'), ['vertrouwenspersoon']);
  });

  it('"bij wie kan ik terecht met zorgen" asks for the people one goes to with worries', () => {
    assert.deepEqual(roleQuestion('bij wie kan ik terecht met zorgen?'), [
      'vertrouwenspersoon',
      'aandachtsfunctionaris',
      'zorgcoordinator',
    ]);
  });

  it('a question with a topic is a topic question, not a who-question', () => {
    for (const q of [
      'wie is er verantwoordelijk als een leerling online gepest wordt',
      'bij wie kan ik terecht als er een naaktfoto rondgaat',
      'wie is de dader van een nepaccount',
      'wat doet een vertrouwenspersoon',
    ])
      assert.equal(roleQuestion(q), undefined, q);
  });
});

describe('question language', () => {
  it('tells English from Dutch, and leaves short or mixed questions to the default', () => {
    assert.equal(questionLanguage('a student is being bullied on snapchat, what should I do'), 'en');
    assert.equal(questionLanguage('someone hacked my instagram account'), 'en');
    assert.equal(questionLanguage('een leerling wordt gepest op snapchat, wat moet ik doen'), undefined);
    assert.equal(questionLanguage('sextortion'), undefined);
  });
});
