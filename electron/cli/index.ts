// Placeholder: the CLI entry is built by the CLI work.
process.stdout.write('sockeye: not built yet\n')
