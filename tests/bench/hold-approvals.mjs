#!/usr/bin/env node
// Fills a gateway's approval queue: opens S sessions and sends N tools/call requests that the
// policy holds for approval, without waiting for their answers (each held call keeps its own
// connection open, as a real client's would), until GET /admin/pending lists all N. Then it
// waits, so the caller can read the gateway's memory, and on a line (or EOF) from stdin closes
// every connection — the gateway then drops the held calls — and waits for the queue to empty.
//
//   node hold-approvals.mjs [--calls N] [--sessions S] [--tool NAME] [--args JSON] URL
//
// Prints {"phase":"held","held":N,"seconds":T} and {"phase":"released","pending":P,"seconds":T}.
// Bounded: 180 s to fill, 60 s to drain; exit status 1 if either is not reached.

import http from 'node:http';
import readline from 'node:readline';

const o = { calls: 10000, sessions: 10, tool: 'echo', args: { message: 'bench' } };
const argv = process.argv.slice(2);
let i = 0;
for (; i < argv.length - 1 && argv[i].startsWith('--'); i += 2) {
  const v = argv[i + 1];
  if (argv[i] === '--calls') o.calls = Number(v);
  else if (argv[i] === '--sessions') o.sessions = Number(v);
  else if (argv[i] === '--tool') o.tool = v;
  else if (argv[i] === '--args') o.args = JSON.parse(v);
  else throw new Error(`unknown option ${argv[i]}`);
}
const url = new URL(argv[i]);
const adminUrl = new URL('/admin/pending', url);
const FILL_MS = 180_000;
const DRAIN_MS = 60_000;
// Calls in flight at once. Sending all at once overflows the gateway's listen backlog (50), and
// each dropped SYN is retried only after 1 s, so the fill would measure TCP's back-off.
const BATCH = 40;

// No keep-alive pooling: every held request must sit on a connection of its own.
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function post(body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        ...headers,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function openSession() {
  const init = await post({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'portcullis-hold-approvals', version: '1' },
    },
  });
  const id = init.headers['mcp-session-id'];
  if (init.status !== 200 || !id) throw new Error(`initialize: HTTP ${init.status}`);
  const headers = { 'Mcp-Session-Id': id, 'Mcp-Protocol-Version': '2025-11-25' };
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  return headers;
}

// Sends one call and resolves when the gateway has started its SSE answer, which it does as
// soon as it has taken the call in (and held it); the answer itself is never awaited.
function sendHeld(headers, id, open) {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        ...headers,
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve();
    });
    req.on('error', resolve); // a refused call shows up as a missing entry in /admin/pending
    req.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: o.tool, arguments: o.args },
      }),
    );
    open.push(req);
  });
}

async function pendingCount() {
  const res = await fetch(adminUrl);
  if (res.status !== 200) throw new Error(`GET /admin/pending: HTTP ${res.status}`);
  return (await res.json()).length;
}

async function waitForPending(predicate, ms) {
  const until = Date.now() + ms;
  let n = await pendingCount();
  while (!predicate(n) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    n = await pendingCount();
  }
  return n;
}

function waitForLine() {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin });
    rl.once('line', () => (rl.close(), resolve()));
    rl.once('close', resolve);
  });
}

async function main() {
  const t0 = Date.now();
  const sessions = [];
  for (let s = 0; s < o.sessions; ++s) sessions.push(await openSession());
  const open = [];
  for (let n = 0; n < o.calls; n += BATCH) {
    const batch = [];
    for (let k = n; k < Math.min(o.calls, n + BATCH); ++k)
      batch.push(sendHeld(sessions[k % sessions.length], k + 1, open));
    await Promise.all(batch);
  }
  const held = await waitForPending((c) => c >= o.calls, FILL_MS - (Date.now() - t0));
  console.log(JSON.stringify({ phase: 'held', held, seconds: (Date.now() - t0) / 1000 }));
  await waitForLine();

  const t1 = Date.now();
  for (const req of open) req.destroy();
  const pending = await waitForPending((c) => c === 0, DRAIN_MS);
  console.log(JSON.stringify({ phase: 'released', pending, seconds: (Date.now() - t1) / 1000 }));
  agent.destroy();
  process.exit(held >= o.calls && pending === 0 ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`hold-approvals: ${error?.stack ?? error}\n`);
  process.exit(1);
});
