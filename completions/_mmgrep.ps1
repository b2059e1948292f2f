
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'mmgrep' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'mmgrep'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'mmgrep' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'A pattern to search for; may be repeated (lines matching any are selected)')
            [CompletionResult]::new('--regexp', '--regexp', [CompletionResultType]::ParameterName, 'A pattern to search for; may be repeated (lines matching any are selected)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read patterns from PATTERNFILE, one per line (''-'' reads stdin); may be repeated')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read patterns from PATTERNFILE, one per line (''-'' reads stdin); may be repeated')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Stop each file after NUM selected lines. With --reverse, the last NUM')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Stop each file after NUM selected lines. With --reverse, the last NUM')
            [CompletionResult]::new('--regex-size-limit', '--regex-size-limit', [CompletionResultType]::ParameterName, 'Size limit of a compiled regex (K, M, G suffixes)')
            [CompletionResult]::new('--dfa-size-limit', '--dfa-size-limit', [CompletionResultType]::ParameterName, 'Size limit of the regex engine''s lazy DFA cache (K, M, G suffixes)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Print REPLACEMENT instead of each match ($1, ${1}, $name, ${name}, $$). Alone it only changes what is printed; with --in-place it rewrites the files')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Print REPLACEMENT instead of each match ($1, ${1}, $name, ${name}, $$). Alone it only changes what is printed; with --in-place it rewrites the files')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Show NUM lines after each selected line')
            [CompletionResult]::new('--after-context', '--after-context', [CompletionResultType]::ParameterName, 'Show NUM lines after each selected line')
            [CompletionResult]::new('-B', '-B ', [CompletionResultType]::ParameterName, 'Show NUM lines before each selected line')
            [CompletionResult]::new('--before-context', '--before-context', [CompletionResultType]::ParameterName, 'Show NUM lines before each selected line')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Show NUM lines before and after each selected line')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Show NUM lines before and after each selected line')
            [CompletionResult]::new('--context-separator', '--context-separator', [CompletionResultType]::ParameterName, 'The line printed between non-adjacent groups of context (default "--")')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: never, auto (when stdout is a terminal and NO_COLOR is unset), always, ansi')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Output order: path (the default: as `rg --sort path`) or none')
            [CompletionResult]::new('--files-from', '--files-from', [CompletionResultType]::ParameterName, 'Search the paths listed in LIST, one per line (''-'' reads stdin), in list order')
            [CompletionResult]::new('--files0-from', '--files0-from', [CompletionResultType]::ParameterName, 'Like --files-from, with the paths separated by NUL bytes, as `find -print0`, `git ls-files -z` and `mmgrep --files -0` write them (GNU coreutils'' option of that name)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Include (or with a leading ''!'', exclude) paths matching GLOB; may be repeated')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Include (or with a leading ''!'', exclude) paths matching GLOB; may be repeated')
            [CompletionResult]::new('--iglob', '--iglob', [CompletionResultType]::ParameterName, 'Like -g, matched case insensitively')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Search only files of TYPE (see --type-list); may be repeated')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Search only files of TYPE (see --type-list); may be repeated')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'Do not search files of TYPE (see --type-list); may be repeated')
            [CompletionResult]::new('--type-not', '--type-not', [CompletionResultType]::ParameterName, 'Do not search files of TYPE (see --type-list); may be repeated')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Descend at most NUM directories below each PATH')
            [CompletionResult]::new('--max-depth', '--max-depth', [CompletionResultType]::ParameterName, 'Descend at most NUM directories below each PATH')
            [CompletionResult]::new('--max-filesize', '--max-filesize', [CompletionResultType]::ParameterName, 'Skip files larger than SIZE (K, M, G suffixes)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of worker threads (default: the number of cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Number of worker threads (default: the number of cores)')
            [CompletionResult]::new('--mmap', '--mmap', [CompletionResultType]::ParameterName, 'When to memory-map files: auto, always, never')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Size of the chunks a large file is split into for the workers (K, M suffixes; a multiple of the page size)')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'Print the man page or a shell completion script and exit (see the README for where each goes)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Treat every pattern as a literal string, not a regex')
            [CompletionResult]::new('--fixed-strings', '--fixed-strings', [CompletionResultType]::ParameterName, 'Treat every pattern as a literal string, not a regex')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Search case insensitively (Unicode simple case folding)')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Search case insensitively (Unicode simple case folding)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Search case sensitively (the default; overrides -i and -S)')
            [CompletionResult]::new('--case-sensitive', '--case-sensitive', [CompletionResultType]::ParameterName, 'Search case sensitively (the default; overrides -i and -S)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Search case insensitively when every literal character of the patterns is lowercase')
            [CompletionResult]::new('--smart-case', '--smart-case', [CompletionResultType]::ParameterName, 'Search case insensitively when every literal character of the patterns is lowercase')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Select only matches surrounded by word boundaries')
            [CompletionResult]::new('--word-regexp', '--word-regexp', [CompletionResultType]::ParameterName, 'Select only matches surrounded by word boundaries')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Select only matches that span a whole line')
            [CompletionResult]::new('--line-regexp', '--line-regexp', [CompletionResultType]::ParameterName, 'Select only matches that span a whole line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Select the lines that do not match')
            [CompletionResult]::new('--invert-match', '--invert-match', [CompletionResultType]::ParameterName, 'Select the lines that do not match')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show line numbers (the default when stdout is a terminal)')
            [CompletionResult]::new('--line-number', '--line-number', [CompletionResultType]::ParameterName, 'Show line numbers (the default when stdout is a terminal)')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Do not show line numbers')
            [CompletionResult]::new('--no-line-number', '--no-line-number', [CompletionResultType]::ParameterName, 'Do not show line numbers')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'Show the column (1-based byte offset in the line) of the first match')
            [CompletionResult]::new('--no-column', '--no-column', [CompletionResultType]::ParameterName, 'Do not show columns')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Show the 0-based byte offset of each line (of each match with -o) in its file')
            [CompletionResult]::new('--byte-offset', '--byte-offset', [CompletionResultType]::ParameterName, 'Show the 0-based byte offset of each line (of each match with -o) in its file')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Print the file path with every line (the default when more than one file may be searched)')
            [CompletionResult]::new('--with-filename', '--with-filename', [CompletionResultType]::ParameterName, 'Print the file path with every line (the default when more than one file may be searched)')
            [CompletionResult]::new('-I', '-I ', [CompletionResultType]::ParameterName, 'Never print file paths with lines')
            [CompletionResult]::new('--no-filename', '--no-filename', [CompletionResultType]::ParameterName, 'Never print file paths with lines')
            [CompletionResult]::new('--heading', '--heading', [CompletionResultType]::ParameterName, 'Print each file''s path once above its lines (the default on a terminal)')
            [CompletionResult]::new('--no-heading', '--no-heading', [CompletionResultType]::ParameterName, 'Print the path on every line instead of above the lines')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print only the matched parts of lines, each on its own line')
            [CompletionResult]::new('--only-matching', '--only-matching', [CompletionResultType]::ParameterName, 'Print only the matched parts of lines, each on its own line')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print the number of selected lines per file')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Print the number of selected lines per file')
            [CompletionResult]::new('--count-matches', '--count-matches', [CompletionResultType]::ParameterName, 'Print the number of matches per file')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Print only the paths of files with a selected line')
            [CompletionResult]::new('--files-with-matches', '--files-with-matches', [CompletionResultType]::ParameterName, 'Print only the paths of files with a selected line')
            [CompletionResult]::new('--files-without-match', '--files-without-match', [CompletionResultType]::ParameterName, 'Print only the paths of files without a selected line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing; exit 0 at the first selected line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing; exit 0 at the first selected line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON Lines in ripgrep''s schema (begin, match, context, end, summary)')
            [CompletionResult]::new('--vimgrep', '--vimgrep', [CompletionResultType]::ParameterName, 'Print every match as PATH:LINE:COLUMN:LINE (one line per match), as vim''s grepformat reads')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print statistics (matches, files, bytes, time) after the results')
            [CompletionResult]::new('--include-zero', '--include-zero', [CompletionResultType]::ParameterName, 'With -c or --count-matches, also print files with a count of 0')
            [CompletionResult]::new('--no-messages', '--no-messages', [CompletionResultType]::ParameterName, 'Do not print error messages about files (they still set exit status 2)')
            [CompletionResult]::new('--no-ignore-messages', '--no-ignore-messages', [CompletionResultType]::ParameterName, 'Do not print messages about ignore files whose rules cannot be parsed')
            [CompletionResult]::new('--passthru', '--passthru', [CompletionResultType]::ParameterName, 'Print every line: the unselected ones as context lines (`rg --passthru`; also --passthrough). The last of --passthru, -A, -B and -C wins. With -r, a sed-like substitution that prints the whole file')
            [CompletionResult]::new('--passthrough', '--passthrough', [CompletionResultType]::ParameterName, 'Print every line: the unselected ones as context lines (`rg --passthru`; also --passthrough). The last of --passthru, -A, -B and -C wins. With -r, a sed-like substitution that prints the whole file')
            [CompletionResult]::new('--no-context-separator', '--no-context-separator', [CompletionResultType]::ParameterName, 'Print nothing between non-adjacent groups of context')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'Follow every printed path with a NUL byte instead of '':'' or a newline')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'Follow every printed path with a NUL byte instead of '':'' or a newline')
            [CompletionResult]::new('--line-buffered', '--line-buffered', [CompletionResultType]::ParameterName, 'Flush output after every line, also when stdout is not a terminal (the default on a terminal): `tail -f log | mmgrep ERROR | other` sees each line as it comes')
            [CompletionResult]::new('--block-buffered', '--block-buffered', [CompletionResultType]::ParameterName, 'Buffer output in blocks, also on a terminal (the default when stdout is not one)')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'Print the files that would be searched, without searching them')
            [CompletionResult]::new('--type-list', '--type-list', [CompletionResultType]::ParameterName, 'Print the known file types and their globs')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Print each file''s selected lines last first (with -m NUM: the last NUM), searching from the end of the file')
            [CompletionResult]::new('--in-place', '--in-place', [CompletionResultType]::ParameterName, 'With -r: write the replacements into the files (equal length only; checked for the whole run before the first write; journaled; see --recover)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With -r --in-place: print what would change as a unified diff and write nothing')
            [CompletionResult]::new('--recover', '--recover', [CompletionResultType]::ParameterName, 'Roll back (or complete) what an interrupted --in-place run left behind, under PATHs (default: the current directory), and say what was done')
            [CompletionResult]::new('--hidden', '--hidden', [CompletionResultType]::ParameterName, 'Search hidden files and directories')
            [CompletionResult]::new('--no-hidden', '--no-hidden', [CompletionResultType]::ParameterName, 'Skip hidden files and directories (the default)')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Do not honour .gitignore, .ignore, .rgignore or .git/info/exclude')
            [CompletionResult]::new('--no-ignore-dot', '--no-ignore-dot', [CompletionResultType]::ParameterName, 'Do not honour .ignore and .rgignore files')
            [CompletionResult]::new('--no-ignore-vcs', '--no-ignore-vcs', [CompletionResultType]::ParameterName, 'Do not honour version-control ignore files (.gitignore, .git/info/exclude)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, '-u: --no-ignore; -uu: also --hidden; -uuu: also --binary')
            [CompletionResult]::new('--unrestricted', '--unrestricted', [CompletionResultType]::ParameterName, '-u: --no-ignore; -uu: also --hidden; -uuu: also --binary')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow symbolic links')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Search binary files as text')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'Search binary files as text')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Search binary files found by walking too, as files named on the command line are: a NUL no longer ends the file; the search stops at its first match with a "binary file matches" notice. -a/--text and --binary: the last one given counts')
            [CompletionResult]::new('--no-binary', '--no-binary', [CompletionResultType]::ParameterName, 'Walked binary files stop at their first NUL (the default)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore the config file named by MMGREP_CONFIG_PATH')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
