// A stand-in web browser for the OAuth tests: `node browser.mjs <url>` opens <url> the way a
// user's browser would when a sign-in page needs no clicks: it GETs the page and follows every
// redirect, the last one normally to the bridge's loopback callback (http://127.0.0.1:PORT/...).
// The bridge runs it as $BROWSER, so its stdout may be the bridge's MCP protocol channel: it
// writes nothing there, only diagnostics on stderr. Exits 0 when the final response is 2xx.
const maxRedirects = 20;
const timeoutMs = Number(process.env.STANDIN_BROWSER_TIMEOUT_MS ?? 60000);

function log(message) {
  process.stderr.write(`[browser] ${message}\n`);
}

async function open(start) {
  let url = new URL(start);
  for (let hop = 0; hop <= maxRedirects; hop++) {
    log(`GET ${url}`);
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'text/html,application/json;q=0.9,*/*;q=0.8' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text().catch(() => '');
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    const summary = body.replace(/\s+/g, ' ').trim().slice(0, 300);
    log(`${response.status} from ${url}${summary ? `: ${summary}` : ''}`);
    return response.status >= 200 && response.status < 300;
  }
  log(`more than ${maxRedirects} redirects`);
  return false;
}

const target = process.argv[2];
if (!target) {
  log('usage: node browser.mjs <url>');
  process.exit(2);
}
try {
  process.exit((await open(target)) ? 0 : 1);
} catch (error) {
  log(`failed: ${error?.cause?.message ?? error?.message ?? error}`);
  process.exit(1);
}
