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
//
// Connects, lists every tool (following nextCursor), optionally calls one tool, then prints one
// JSON line to stdout:
//   {"server":{...},"protocolVersion":"...","capabilities":{...},"tools":[names],"pages":N,
//    "call":RESULT}                  or, if the call got a JSON-RPC error, "callError":{code,message}
//
// Exit status: 0 ok; 1 failure (message on stderr); 2 usage error; 3 the tool call was answered
// with a JSON-RPC error (the JSON above is still printed, so a test can check the error).

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const EXIT_CALL_ERROR = 3;
const MAX_PAGES = 1000; // a server that hands out cursors forever must not keep us looping

function usage(problem) {
  process.stderr.write(
    `sdk-client: ${problem}\n` +
      'usage: node sdk-client.mjs [--call NAME] [--args JSON] [--timeout-ms N] ' +
      '(stdio COMMAND [ARG...] | http URL)\n',
  );
  process.exit(EXIT_USAGE);
}

function parseArgs(argv) {
  const options = { call: undefined, args: {}, timeoutMs: 20000 };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i += 2) {
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
    try {
      out.call = await client.callTool(
        { name: options.call, arguments: options.args },
        undefined,
        requestOptions,
      );
    } catch (error) {
      if (!(error instanceof McpError)) throw error;
      // McpError prefixes the server's text with "MCP error CODE: "; report what the server sent.
      const prefix = `MCP error ${error.code}: `;
      const message = error.message.startsWith(prefix)
        ? error.message.slice(prefix.length)
        : error.message;
      out.callError = { code: error.code, message };
      if (error.data !== undefined) out.callError.data = error.data;
      status = EXIT_CALL_ERROR;
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return status;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const client = new Client({ name: 'portcullis-sdk-client', version: '1.0.0' });
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
