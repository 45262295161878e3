#!/usr/bin/env node
// Drives an MCP server with the reference SDK client, so tests see what a real client sees.
//
//   node sdk-client.mjs [OPTIONS] stdio COMMAND [ARG...]
//   node sdk-client.mjs [OPTIONS] http URL          (bearer token from env PORTCULLIS_TOKEN)
//
// OPTIONS (before the transport word):
//   --call NAME        after listing, call this tool
//   --args JSON        its arguments (default {})
//   --timeout-ms N     give up after N ms in all (default 20000)
//   --repeat N         make the call N times in this one session; results go to "calls"
//   --progress         ask for progress on the call; notifications received go to "progress"
//   --sampling-text T  act as a client that can sample: answer sampling/createMessage with T
//   --elicit-content J act as a client that can elicit: accept elicitation/create with object J
//   --roots J          act as a client with roots: answer roots/list with the array J
//   --relist-until-gone NAME
//                      after the rest, say "sdk-client: waiting for list_changed" on stderr,
//                      then list again after every notifications/tools/list_changed until NAME
//                      is no longer listed; that list goes to "toolsAfterChange"
//
// Connects, lists every tool (following nextCursor), optionally calls one tool, then prints one
// JSON line to stdout:
//   {"server":{...},"protocolVersion":"...","capabilities":{...},"tools":[names],"pages":N,
//    "call":RESULT}                  or, if the call got a JSON-RPC error, "callError":{code,message}
//   with --repeat, "calls":[RESULT or {"callError":...}, ...] instead of "call"; with --progress,
//   "progress":[params...]; "serverRequests":[method...] lists what the server asked of us.
//
// Exit status: 0 ok; 1 failure (message on stderr); 2 usage error; 3 the tool call was answered
// with a JSON-RPC error (the JSON above is still printed, so a test can check the error).

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  McpError,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const EXIT_CALL_ERROR = 3;
const MAX_PAGES = 1000; // a server that hands out cursors forever must not keep us looping

function usage(problem) {
  process.stderr.write(
    `sdk-client: ${problem}\n` +
      'usage: node sdk-client.mjs [--call NAME] [--args JSON] [--timeout-ms N] ' +
      '[--repeat N] [--progress] [--sampling-text T] [--elicit-content J] [--roots J] ' +
      '[--relist-until-gone NAME] ' +
      '(stdio COMMAND [ARG...] | http URL)\n',
  );
  process.exit(EXIT_USAGE);
}

function parseArgs(argv) {
  const options = { call: undefined, args: {}, timeoutMs: 20000, repeat: 1, progress: false };
  const parseJson = (flag, value) => {
    try {
      return JSON.parse(value);
    } catch (error) {
      usage(`${flag} is not JSON: ${error.message}`);
    }
  };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i += 2) {
    if (argv[i] === '--progress') {
      options.progress = true;
      i -= 1; // a flag without a value
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) usage(`${argv[i]} needs a value`);
    switch (argv[i]) {
      case '--call':
        options.call = value;
        break;
      case '--args':
        try {
          options.args = JSON.parse(value);
        } catch (error) {
          usage(`--args is not JSON: ${error.message}`);
        }
        break;
      case '--relist-until-gone':
        options.relistUntilGone = value;
        break;
      case '--repeat':
        options.repeat = Number(value);
        if (!Number.isInteger(options.repeat) || options.repeat <= 0 || options.repeat > 1000)
          usage('--repeat needs a whole number from 1 to 1000');
        break;
      case '--sampling-text':
        options.samplingText = value;
        break;
      case '--elicit-content':
        options.elicitContent = parseJson(argv[i], value);
        break;
      case '--roots':
        options.roots = parseJson(argv[i], value);
        break;
      case '--timeout-ms':
        options.timeoutMs = Number(value);
        if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0)
          usage('--timeout-ms needs a positive whole number');
        break;
      default:
        usage(`unknown option ${argv[i]}`);
    }
  }
  const [mode, target, ...rest] = argv.slice(i);
  if (mode === 'stdio' && target) return { ...options, mode, command: target, commandArgs: rest };
  if (mode === 'http' && target && rest.length === 0) return { ...options, mode, url: target };
  usage('expected "stdio COMMAND [ARG...]" or "http URL"');
}

function makeTransport(options) {
  if (options.mode === 'stdio') {
    // stderr is inherited: the server's log lines end up on ours, where the test can show them.
    return new StdioClientTransport({
      command: options.command,
      args: options.commandArgs,
      stderr: 'inherit',
    });
  }
  const token = process.env.PORTCULLIS_TOKEN;
  const requestInit = token ? { headers: { Authorization: `Bearer ${token}` } } : undefined;
  return new StreamableHTTPClientTransport(new URL(options.url), { requestInit });
}

async function closeQuietly(client, transport) {
  // Both the deadline and the main path close; the SDK's close() only kills the child on the
  // first call, so every caller must wait for that one.
  closeQuietly.pending ??= closeBoth(client, transport);
  return closeQuietly.pending;
}

async function closeBoth(client, transport) {
  try {
    // Ends the HTTP session explicitly, so a gateway does not keep it until it expires.
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId)
      await transport.terminateSession();
  } catch {
    // the server may not support DELETE (405); closing is enough then
  }
  try {
    // For stdio this closes the server's stdin and, if needed, kills it.
    await client.close();
  } catch {
    // already closed
  }
}

async function listAll(client, requestOptions) {
  const names = [];
  let cursor;
  let pages = 0;
  do {
    if (++pages > MAX_PAGES) throw new Error(`more than ${MAX_PAGES} tools/list pages`);
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, requestOptions);
    names.push(...page.tools.map((tool) => tool.name));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return names;
}

async function run(options, client, transport) {
  let protocolVersion;
  // The SDK keeps the negotiated version private; it hands it to the transport, so listen there.
  const setVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version) => {
    protocolVersion = version;
    setVersion?.(version);
  };

  const requestOptions = { timeout: options.timeoutMs };
  await client.connect(transport, requestOptions);

  const tools = [];
  let pages = 0;
  let cursor;
  do {
    if (++pages > MAX_PAGES) throw new Error(`more than ${MAX_PAGES} tools/list pages`);
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, requestOptions);
    tools.push(...page.tools.map((tool) => tool.name));
    cursor = page.nextCursor;
  } while (cursor !== undefined);

  const out = {
    server: client.getServerVersion(),
    protocolVersion,
    capabilities: client.getServerCapabilities(),
    tools,
    pages,
  };
  let status = 0;
  if (options.call !== undefined) {
    const callOptions = { ...requestOptions };
    if (options.progress) {
      out.progress = [];
      callOptions.onprogress = (params) => out.progress.push(params);
    }
    const results = [];
    for (let n = 0; n < options.repeat; ++n) {
      try {
        results.push(
          await client.callTool(
            { name: options.call, arguments: options.args },
            undefined,
            callOptions,
          ),
        );
      } catch (error) {
        if (!(error instanceof McpError)) throw error;
        // McpError prefixes the server's text with "MCP error CODE: "; report what it sent.
        const prefix = `MCP error ${error.code}: `;
        const message = error.message.startsWith(prefix)
          ? error.message.slice(prefix.length)
          : error.message;
        const callError = { code: error.code, message };
        if (error.data !== undefined) callError.data = error.data;
        results.push({ callError });
        status = EXIT_CALL_ERROR;
      }
    }
    if (options.repeat > 1) out.calls = results;
    else if (results[0].callError) out.callError = results[0].callError;
    else out.call = results[0];
  }
  out.serverRequests = serverRequests;
  if (options.relistUntilGone !== undefined) {
    // Other changes (a server's own list_changed) may come first: list again after each one.
    let changes = 0;
    let wake;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      ++changes;
      wake?.();
    });
    process.stderr.write('sdk-client: waiting for list_changed\n');
    for (;;) {
      if (changes === 0) await new Promise((resolve) => (wake = resolve));
      changes = 0;
      const after = await listAll(client, requestOptions);
      if (!after.includes(options.relistUntilGone)) {
        out.toolsAfterChange = after;
        break;
      }
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return status;
}

const serverRequests = [];

// Declares and answers the client features asked for, so servers can sample, elicit and read
// roots through whatever sits between them and us.
function makeClient(options) {
  const capabilities = {};
  if (options.samplingText !== undefined) capabilities.sampling = {};
  if (options.elicitContent !== undefined) capabilities.elicitation = {};
  if (options.roots !== undefined) capabilities.roots = { listChanged: true };
  const client = new Client({ name: 'portcullis-sdk-client', version: '1.0.0' }, { capabilities });
  if (capabilities.sampling)
    client.setRequestHandler(CreateMessageRequestSchema, () => {
      serverRequests.push('sampling/createMessage');
      return {
        role: 'assistant',
        content: { type: 'text', text: options.samplingText },
        model: 'portcullis-test-model',
        stopReason: 'endTurn',
      };
    });
  if (capabilities.elicitation)
    client.setRequestHandler(ElicitRequestSchema, () => {
      serverRequests.push('elicitation/create');
      return { action: 'accept', content: options.elicitContent };
    });
  if (capabilities.roots)
    client.setRequestHandler(ListRootsRequestSchema, () => {
      serverRequests.push('roots/list');
      return { roots: options.roots };
    });
  return client;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const client = makeClient(options);
  const transport = makeTransport(options);

  // A hard deadline over everything, including connect and close, so a test never hangs here.
  const deadline = setTimeout(() => {
    process.stderr.write(`sdk-client: gave up after ${options.timeoutMs} ms\n`);
    closeQuietly(client, transport).finally(() => process.exit(EXIT_FAILURE));
    // If closing hangs too, still leave.
    // (The SDK needs up to 4 s to end a stdio server: stdin closed, SIGTERM, SIGKILL.)
    setTimeout(() => process.exit(EXIT_FAILURE), 6000).unref();
  }, options.timeoutMs);

  let status = EXIT_FAILURE;
  try {
    status = await run(options, client, transport);
  } catch (error) {
    process.stderr.write(`sdk-client: ${error?.stack ?? error}\n`);
  }
  await closeQuietly(client, transport);
  clearTimeout(deadline);
  process.exit(status);
}

main();
