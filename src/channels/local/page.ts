/** The local chat page: Microsoft Web Chat (served from node_modules) against the built-in Direct Line. */
export function chatPage(lang: 'nl' | 'en'): string {
  const title = lang === 'nl' ? 'Vangnet — lokale chat' : 'Vangnet — local chat';
  const note =
    lang === 'nl'
      ? 'Lokale testomgeving: je ziet dezelfde kaarten als in Teams. Gebruik geen echte namen van leerlingen.'
      : 'Local test environment: you see the same cards as in Teams. Do not use real pupil names.';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="/assets/icon-color.png">
<style>
  html, body { height: 100%; margin: 0; font-family: "Segoe UI", system-ui, sans-serif; background: #f3f2f1; }
  header { display: flex; align-items: center; gap: 12px; padding: 10px 16px; background: #1f4e79; color: #fff; }
  header img { width: 32px; height: 32px; border-radius: 6px; background: #fff; }
  header h1 { font-size: 18px; margin: 0; font-weight: 600; }
  header p { margin: 0; font-size: 12px; opacity: .85; }
  main { height: calc(100% - 60px); max-width: 880px; margin: 0 auto; background: #fff; }
  #webchat { height: 100%; }
</style>
</head>
<body>
<header><img src="/assets/icon-color.png" alt=""><div><h1>Vangnet</h1><p>${note}</p></div></header>
<main><div id="webchat" role="main"></div></main>
<script src="/webchat/webchat.js"></script>
<script>
(async function () {
  const res = await fetch('/v3/directline/conversations', { method: 'POST' });
  const { token, conversationId } = await res.json();
  const directLine = window.WebChat.createDirectLine({
    domain: location.origin + '/v3/directline',
    token,
    conversationId,
    webSocket: false,
    pollingInterval: 300
  });
  // One local user, who holds every role in the demo school: play teacher and expert in the same chat.
  const userID = 'local-user';
  window.WebChat.renderWebChat({
    directLine,
    userID,
    username: 'Lokale gebruiker',
    locale: '${lang === 'nl' ? 'nl-NL' : 'en-US'}',
    styleOptions: { botAvatarInitials: 'V', userAvatarInitials: 'Ik', hideUploadButton: true, bubbleMaxWidth: 640 },
    // Teams lays card buttons out side by side; do the same here.
    adaptiveCardsHostConfig: {
      actions: { actionsOrientation: 'horizontal', actionAlignment: 'left', buttonSpacing: 8, maxActions: 6, spacing: 'default', showCard: { actionMode: 'inline' } }
    }
  }, document.getElementById('webchat'));
  document.querySelector('#webchat input, #webchat textarea')?.focus();
})();
</script>
</body>
</html>`;
}
