// Entry point: `NotebookRunner run|report|publish|bench ...` (see Cli/CommandLine.cs for usage and exit codes).
using NotebookRunner.Cli;

var stdout = Console.Out;
var stderr = Console.Error;
var (code, result) = await Commands.MainAsync(args, stdout, stderr, Environment.GetEnvironmentVariable);
stdout.Flush();
stderr.Flush();
// A cell that ran past its timeout may still be busy on a background thread: end the process regardless.
if (result?.TimedOut == true) Environment.Exit(code);
return code;
