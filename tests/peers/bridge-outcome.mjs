// How the server process a test client started (the bridge) ended, as bridge_process judges it
// for the C++ tests (tests/support/bridge_ending.cpp): an exit other than 0, a signal, or a
// sanitizer report on its stderr fails the client. Its stderr is passed on to the client's own.
//
//   const transport = new StdioClientTransport({ ..., stderr: 'pipe' });
//   const outcome = watchBridge(transport);   // before connect
//   ... await client.close();
//   const problem = await outcome.problem();  // null, or what went wrong
//
// The SDKs (1.x and 2.x) keep the child in transport._process from start() until close().
const markers = ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'WARNING: AddressSanitizer', 'runtime error:',
  'SUMMARY: AddressSanitizer', 'SUMMARY: UndefinedBehaviorSanitizer'];
const keptStderr = 1 << 20;

export function watchBridge(transport) {
  let stderrText = '';
  transport.stderr?.on('data', (chunk) => {
    process.stderr.write(chunk);
    if (stderrText.length < keptStderr) stderrText += chunk.toString();
  });
  let exited = null;
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    const child = transport._process;
    exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  };
  return {
    // After client.close(): the SDK has closed stdin and waited 2 s, then sent SIGTERM.
    async problem() {
      const marker = markers.find((m) => stderrText.includes(m));
      if (marker) return `the bridge's sanitizer reported (${marker}); see its stderr above`;
      if (!exited) return null;  // never started: the client's own error says why
      const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 10000).unref());
      const end = await Promise.race([exited, timeout]);
      if (end === 'timeout') return 'the bridge did not exit within 10 s of its stdin closing';
      if (end.signal) return `the bridge was ended by ${end.signal} (it did not exit within 2 s of its stdin closing)`;
      if (end.code !== 0) return `the bridge exited with ${end.code}`;
      return null;
    },
  };
}
