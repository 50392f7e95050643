import { translator } from '../../core/i18n/index.js';
import { LOCAL_USER } from './direct-line.js';

/**
 * The local chat page: Microsoft Web Chat (served from node_modules) against the built-in Direct Line, in two tabs:
 * the private chat with Vangnet, and a stand-in for a Teams channel (its own conversation, where Vangnet only reacts
 * to "@Vangnet …"), so weekly tips and channel behaviour can be tried locally.
 */
export function chatPage(lang: 'nl' | 'en'): string {
  const t = translator(lang);
  const locale = lang === 'nl' ? 'nl-NL' : 'en-US';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('local.title')}</title>
<link rel="icon" href="/assets/icon-color.png">
<style>
  html, body { height: 100%; margin: 0; font-family: "Segoe UI", system-ui, sans-serif; background: #f3f2f1; }
  body { display: flex; flex-direction: column; }
  header { display: flex; align-items: center; gap: 12px; padding: 10px 16px; background: #1f4e79; color: #fff; }
  header img { width: 32px; height: 32px; border-radius: 6px; background: #fff; }
  header h1 { font-size: 18px; margin: 0; font-weight: 600; }
  header p { margin: 0; font-size: 12px; opacity: .85; }
  nav { display: flex; gap: 4px; padding: 6px 16px 0; background: #1f4e79; }
  nav button { font: inherit; font-size: 14px; padding: 6px 14px; border: 0; border-radius: 6px 6px 0 0; cursor: pointer;
    background: #3a6a96; color: #fff; }
  nav button[aria-selected="true"] { background: #fff; color: #1f4e79; font-weight: 600; }
  main { flex: 1; min-height: 0; width: 100%; max-width: 880px; margin: 0 auto; background: #fff; display: flex;
    flex-direction: column; }
  section { flex: 1; min-height: 0; display: flex; flex-direction: column; }
  section[hidden] { display: none; }
  .hint { margin: 0; padding: 8px 16px; font-size: 13px; background: #fff4ce; color: #333; }
  .webchat { flex: 1; min-height: 0; }
  /* Card buttons wrap onto the next line instead of running off the card, and their labels wrap instead of being
     cut: every button stays visible and clickable in a narrow window (Teams does the same on a phone). */
  .webchat .ac-actionSet { flex-wrap: wrap !important; gap: 8px; }
  .webchat .ac-actionSet > div { display: none; } /* the renderer's fixed spacers: the gap spaces the buttons */
  .webchat .ac-actionSet > .ac-pushButton { flex: 0 1 auto !important; max-width: 100%; min-width: 0; }
  .webchat .ac-actionSet > .ac-pushButton > div { white-space: normal !important; overflow: visible !important;
    text-overflow: clip !important; overflow-wrap: anywhere; text-align: start; }
</style>
</head>
<body>
<header><img src="/assets/icon-color.png" alt=""><div><h1>Vangnet</h1><p>${t('local.note')}</p></div></header>
<nav role="tablist">
  <button role="tab" id="tab-private" aria-controls="pane-private" aria-selected="true">${t('local.tab.private')}</button>
  <button role="tab" id="tab-channel" aria-controls="pane-channel" aria-selected="false">${t('local.tab.channel')}</button>
</nav>
<main>
  <section id="pane-private" role="tabpanel" aria-labelledby="tab-private"><div class="webchat" id="webchat"></div></section>
  <section id="pane-channel" role="tabpanel" aria-labelledby="tab-channel" hidden>
    <p class="hint">${t('local.channel.hint')}</p><div class="webchat" id="webchat-channel"></div>
  </section>
</main>
<script src="/webchat/webchat.js"></script>
<script>
(function () {
  // One local user, who holds every role in the demo school: play teacher and expert in the same chat.
  const userID = ${JSON.stringify(LOCAL_USER.id)};
  async function start(kind, element) {
    const res = await fetch('/v3/directline/conversations' + (kind === 'channel' ? '?kind=channel' : ''), { method: 'POST' });
    const { token, conversationId } = await res.json();
    const directLine = window.WebChat.createDirectLine({
      domain: location.origin + '/v3/directline',
      token,
      conversationId,
      webSocket: false,
      pollingInterval: 300
    });
    window.WebChat.renderWebChat({
      directLine,
      userID,
      username: ${JSON.stringify(LOCAL_USER.name)},
      locale: '${locale}',
      styleOptions: { botAvatarInitials: 'V', userAvatarInitials: 'Ik', hideUploadButton: true, bubbleMaxWidth: 640 },
      // Teams lays card buttons out side by side; here too, wrapping where they do not fit (see the style above).
      // Emergency lines (attention) and warnings stand out as they do in Teams: a coloured block, dark text.
      adaptiveCardsHostConfig: {
        actions: { actionsOrientation: 'horizontal', actionAlignment: 'left', buttonSpacing: 8, maxActions: 6, spacing: 'default', showCard: { actionMode: 'inline' } },
        containerStyles: {
          default: { backgroundColor: '#FFFFFF', foregroundColors: { default: { default: '#242424', subtle: '#616161' }, attention: { default: '#C4314B', subtle: '#C4314B' } } },
          emphasis: { backgroundColor: '#F5F5F5', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
          attention: { backgroundColor: '#FDE7E9', borderColor: '#C4314B', foregroundColors: { default: { default: '#8A1C2B', subtle: '#8A1C2B' }, attention: { default: '#8A1C2B', subtle: '#8A1C2B' } } },
          warning: { backgroundColor: '#FFF4CE', borderColor: '#8A6D00', foregroundColors: { default: { default: '#4D3D00', subtle: '#4D3D00' } } },
          good: { backgroundColor: '#DFF6DD', foregroundColors: { default: { default: '#0E4A0E', subtle: '#0E4A0E' } } },
          accent: { backgroundColor: '#E8EBFA', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } }
        }
      }
    }, element);
  }
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      for (const other of tabs) {
        const selected = other === tab;
        other.setAttribute('aria-selected', String(selected));
        document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
      }
      document.querySelector('#' + tab.getAttribute('aria-controls') + ' [data-id="webchat-sendbox-input"]')?.focus();
    });
  }
  start('personal', document.getElementById('webchat')).then(() =>
    document.querySelector('#webchat [data-id="webchat-sendbox-input"]')?.focus());
  start('channel', document.getElementById('webchat-channel'));
})();
</script>
</body>
</html>`;
}
