/**
 * The {@code scratchnet} command line: {@link org.scratchnet.cli.Main} builds the picocli command tree rooted at
 * {@link org.scratchnet.cli.ScratchnetCommand} (train, eval, predict, fetch, info, reproduce, sweep, completion, help)
 * and wires the core and mnist modules together. Results go to stdout; progress, logs and errors to stderr. Exit codes:
 * 0 success, 1 failure, 2 usage error, 130 interrupted.
 */
package org.scratchnet.cli;
