// Plays an HLS playlist in hls.js inside headless Chromium and reports whether playback passed the
// midpoint without a fatal error. Used by HlsPlayerIT; runnable by hand:
//   node hls-player.mjs DIR PLAYLIST [TIMEOUT_SECONDS]
// DIR holds the playlist and its slices; they are served from a local HTTP server. Prints one JSON
// line ({passed, currentTime, duration, fatal, errors, ...}); exit code 0 only when passed.
// Chromium: $CHROMIUM or /usr/bin/chromium (Debian's package "chromium").
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const [dir, playlist, timeoutArg] = process.argv.slice(2);
if (!dir || !playlist) {
  console.error('usage: node hls-player.mjs DIR PLAYLIST [TIMEOUT_SECONDS]');
  process.exit(2);
}
const timeoutMs = Number(timeoutArg || 60) * 1000;
const here = path.dirname(fileURLToPath(import.meta.url));
const hlsJs = path.join(here, 'node_modules', 'hls.js', 'dist', 'hls.min.js');
const types = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.js': 'text/javascript',
  '.html': 'text/html',
};

const page = `<!doctype html><html><body>
<video id="v" muted autoplay playsinline></video>
<script src="/hls.js"></script>
<script>
  window.state = { errors: [], fatal: null, supported: Hls.isSupported(), levels: 0 };
  const video = document.getElementById('v');
  const hls = new Hls({ debug: false });
  hls.on(Hls.Events.ERROR, (event, data) => {
    const e = { type: data.type, details: data.details, fatal: !!data.fatal };
    window.state.errors.push(e);
    if (data.fatal) window.state.fatal = e;
  });
  hls.on(Hls.Events.MANIFEST_PARSED, (event, data) => {
    window.state.levels = data.levels.length;
    video.play().catch(err => window.state.errors.push({ type: 'play', details: String(err), fatal: false }));
  });
  video.addEventListener('error', () => {
    window.state.fatal = { type: 'media', details: video.error ? video.error.message || String(video.error.code) : 'unknown', fatal: true };
  });
  hls.loadSource('/media/' + ${JSON.stringify(encodeURIComponent(playlist))});
  hls.attachMedia(video);
</script></body></html>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let file = null;
  let body = null;
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  if (url.pathname === '/') {
    body = page;
    res.setHeader('Content-Type', types['.html']);
  } else if (url.pathname === '/hls.js') {
    file = hlsJs;
  } else if (url.pathname.startsWith('/media/')) {
    const name = decodeURIComponent(url.pathname.slice('/media/'.length));
    if (name.includes('/') || name.includes('..')) {
      res.writeHead(400).end();
      return;
    }
    file = path.join(dir, name);
  }
  if (body !== null) {
    res.end(body);
    return;
  }
  if (!file || !fs.existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.setHeader('Content-Type', types[path.extname(file)] || 'application/octet-stream');
  fs.createReadStream(file).pipe(res);
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // Playwright gives the browser a fresh profile directory of its own.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
let result = { passed: false };
try {
  const tab = await browser.newPage();
  const consoleLines = [];
  tab.on('console', msg => consoleLines.push(msg.type() + ': ' + msg.text()));
  await tab.goto(`http://127.0.0.1:${port}/`);
  const deadline = Date.now() + timeoutMs;
  let state;
  while (Date.now() < deadline) {
    state = await tab.evaluate(() => {
      const v = document.getElementById('v');
      return { ...window.state, currentTime: v.currentTime, duration: v.duration, paused: v.paused,
        readyState: v.readyState, width: v.videoWidth, height: v.videoHeight };
    });
    if (state.fatal || (Number.isFinite(state.duration) && state.duration > 0 && state.currentTime > state.duration / 2)) {
      break;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  result = { ...state, passed: !state.fatal && Number.isFinite(state.duration) && state.currentTime > state.duration / 2,
    console: consoleLines.slice(-20) };
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(result));
process.exit(result.passed ? 0 : 1);
