#!/usr/bin/env node
// End-to-end tool-call latency and throughput as a real client sees them: the reference SDK
// Client against one target, with N sessions calling one tool in a loop, each session waiting for
// its answer before the next call. Prints one JSON line.
//
//   node e2e-compare.mjs [OPTIONS] stdio COMMAND [ARG...]   (one server process per session)
//   node e2e-compare.mjs [OPTIONS] http URL                  (N sessions on one endpoint)
//
// OPTIONS (before the transport word):
//   --sessions N     concurrent sessions (default 1)
//   --calls N        measured calls in all sessions together (default 2000)
//   --seconds S      stop measuring after S seconds even if calls remain (default 20)
//   --warmup N       unmeasured calls per session first, so the JIT has settled (default 100)
//   --tool NAME      tool to call (default echo)
//   --args JSON      its arguments (default {"message":"bench"})
//   --label TEXT     copied into the output
//   --hold-open      after the result, keep the sessions until a line (or EOF) on stdin, so a
//                    caller can read the server's memory with every session still there
//
// Output: {"phase":"measuring"} when the measured calls begin, then {"label","client":"sdk",
// "sessions","calls","errors","seconds","p50_us","p99_us","max_us","calls_per_s"}.
// Exit status 0 when every measured call succeeded.
//
// Bounded: a hard deadline of seconds + 60 s over connecting, warming up, measuring and closing.

import readline from 'node:readline';

// The pinned SDK is installed once, beside the interop tests; ESM does not search sibling folders.
const sdk = (path) =>
  import(new URL(`../interop/node_modules/@modelcontextprotocol/sdk/dist/esm/${path}`, import.meta.url));
const { Client } = await sdk('client/index.js');
const { StdioClientTransport } = await sdk('client/stdio.js');
const { StreamableHTTPClientTransport } = await sdk('client/streamableHttp.js');

// The SDK's HTTP transport leaves one abort listener per request on a signal that lives as long
// as the session (with any server), so long runs trip Node's leak warning; it is noise here.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'MaxListenersExceededWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
});

function usage(problem) {
  process.stderr.write(`e2e-compare: ${problem}\n`);
  process.exit(2);
}

function positive(name, text) {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) usage(`${name} needs a positive number`);
  return n;
}

function parseArgs(argv) {
  const o = { sessions: 1, calls: 2000, seconds: 20, warmup: 100, tool: 'echo', holdOpen: false };
  o.args = { message: 'bench' };
  o.label = '';
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i += 2) {
    if (argv[i] === '--hold-open') {
      o.holdOpen = true;
      --i; // takes no value
      continue;
    }
    const v = argv[i + 1];
    if (v === undefined) usage(`${argv[i]} needs a value`);
    switch (argv[i]) {
      case '--sessions': o.sessions = Math.floor(positive('--sessions', v)); break;
      case '--calls': o.calls = Math.floor(positive('--calls', v)); break;
      case '--seconds': o.seconds = positive('--seconds', v); break;
      case '--warmup': o.warmup = Math.floor(Number(v)) || 0; break;
      case '--tool': o.tool = v; break;
      case '--args': o.args = JSON.parse(v); break;
      case '--label': o.label = v; break;
      default: usage(`unknown option ${argv[i]}`);
    }
  }
  const [mode, target, ...rest] = argv.slice(i);
  if (mode === 'stdio' && target) return { ...o, mode, command: target, commandArgs: rest };
  if (mode === 'http' && target && rest.length === 0) return { ...o, mode, url: target };
  usage('expected "stdio COMMAND [ARG...]" or "http URL"');
}

function makeTransport(o) {
  if (o.mode === 'stdio')
    return new StdioClientTransport({ command: o.command, args: o.commandArgs, stderr: 'ignore' });
  return new StreamableHTTPClientTransport(new URL(o.url));
}

async function openSession(o) {
  const client = new Client({ name: 'portcullis-e2e-compare', version: '1.0.0' });
  const transport = makeTransport(o);
  await client.connect(transport);
  // A real client lists before it calls; it also tells us the tool is there.
  const { tools } = await client.listTools();
  if (!tools.some((t) => t.name === o.tool)) throw new Error(`no tool ${o.tool} at the target`);
  return { client, transport };
}

async function closeSession({ client, transport }) {
  try {
    // Ends the session explicitly, so the server does not keep it until it expires.
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId)
      await transport.terminateSession();
  } catch {
    // a server without DELETE (405): closing is enough
  }
  try {
    await client.close();
  } catch {
    // already closed
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function measure(o, sessions) {
  const request = { name: o.tool, arguments: o.args };
  await Promise.all(
    sessions.map(async ({ client }) => {
      for (let i = 0; i < o.warmup; ++i) await client.callTool(request);
    }),
  );
  process.stdout.write(`${JSON.stringify({ phase: 'measuring' })}\n`);
  const latencies = [];
  let started = 0;
  let errors = 0;
  const t0 = process.hrtime.bigint();
  const stopAt = t0 + BigInt(Math.round(o.seconds * 1e9));
  // Sessions share one call budget, so the total is the same whatever N is.
  await Promise.all(
    sessions.map(async ({ client }) => {
      while (started < o.calls && process.hrtime.bigint() < stopAt) {
        ++started;
        const t = process.hrtime.bigint();
        try {
          const result = await client.callTool(request);
          if (result.isError) ++errors;
        } catch {
          ++errors;
        }
        latencies.push(Number(process.hrtime.bigint() - t) / 1000);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    label: o.label,
    client: 'sdk',
    sessions: sessions.length,
    calls: latencies.length,
    errors,
    seconds: Number(seconds.toFixed(3)),
    p50_us: Math.round(percentile(latencies, 50)),
    p99_us: Math.round(percentile(latencies, 99)),
    max_us: Math.round(latencies[latencies.length - 1]),
    calls_per_s: Math.round(latencies.length / seconds),
  };
}

function waitForLine() {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin });
    rl.once('line', () => (rl.close(), resolve()));
    rl.once('close', resolve);
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const sessions = [];
  const deadline = setTimeout(() => {
    process.stderr.write('e2e-compare: gave up (deadline)\n');
    Promise.allSettled(sessions.map(closeSession)).finally(() => process.exit(1));
    setTimeout(() => process.exit(1), 6000).unref();
  }, (o.seconds + 60) * 1000);

  let status = 1;
  try {
    // One at a time: a burst of 20 node servers starting together measures the machine, not MCP.
    for (let i = 0; i < o.sessions; ++i) sessions.push(await openSession(o));
    const out = await measure(o, sessions);
    process.stdout.write(`${JSON.stringify(out)}\n`);
    status = out.errors === 0 && out.calls > 0 ? 0 : 1;
    if (o.holdOpen) await waitForLine();
  } catch (error) {
    process.stderr.write(`e2e-compare: ${error?.stack ?? error}\n`);
  }
  await Promise.allSettled(sessions.map(closeSession));
  clearTimeout(deadline);
  process.exit(status);
}

main();
