import type { Command } from 'commander';

/** A command and what may follow it, for the completion scripts. */
interface Node {
  /** `gureum/projects/ls`: the path of names from the root. */
  key: string;
  name: string;
  summary: string;
  children: Node[];
  options: string[];
}

function walk(cmd: Command, key: string): Node {
  const visible = cmd.commands.filter((c) => c.name() !== 'help');
  return {
    key,
    name: cmd.name(),
    summary: cmd.summary() || cmd.description().split('.')[0] || '',
    children: visible.map((c) => walk(c, `${key}/${c.name()}`)),
    options: [...cmd.options.flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined)), '--help'],
  };
}

function flatten(node: Node): Node[] {
  return [node, ...node.children.flatMap(flatten)];
}

/** Every name a command answers to (its aliases too), for the path matching. */
function names(cmd: Command, key: string): [string, string][] {
  return cmd.commands.flatMap((c) => {
    const path = `${key}/${c.name()}`;
    return [...[c.name(), ...c.aliases()].map((n): [string, string] => [`${key}/${n}`, path]), ...names(c, path)];
  });
}

/** The `case` arms that move from a command to a subcommand as the typed words are read. */
function transitions(program: Command): string {
  return names(program, 'gureum')
    .map(([from, to]) => `      ${from}) key=${to} ;;`)
    .join('\n');
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * A bash completion script: it walks the words typed so far through the command tree, then
 * offers the subcommands and options of the command reached.
 */
export function bashCompletion(program: Command): string {
  const root = walk(program, 'gureum');
  const words = flatten(root)
    .map((n) => `    ${n.key}) words=${quote([...n.children.map((c) => c.name), ...n.options].join(' '))} ;;`)
    .join('\n');
  return `# bash completion for gureum: add to ~/.bashrc:  source <(gureum completion bash)
_gureum() {
  local cur=\${COMP_WORDS[COMP_CWORD]} key=gureum words='' i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    case "$key/$w" in
${transitions(program)}
    esac
  done
  case $key in
${words}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _gureum gureum
`;
}

/** A zsh completion script with a description for each subcommand. */
export function zshCompletion(program: Command): string {
  const root = walk(program, 'gureum');
  const cases = flatten(root)
    .map((n) => {
      const described = n.children.map((c) => quote(`${c.name}:${c.summary.replace(/:/g, '\\:')}`)).join(' ');
      return `    ${n.key}) commands=(${described}); options=(${n.options.map(quote).join(' ')}) ;;`;
    })
    .join('\n');
  return `#compdef gureum
# zsh completion for gureum: add to ~/.zshrc:  source <(gureum completion zsh)
_gureum() {
  local key=gureum i w
  local -a commands options
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    case "$key/$w" in
${transitions(program)}
    esac
  done
  case $key in
${cases}
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    compadd -- $options
  elif (( \${#commands} )); then
    _describe 'command' commands
  else
    _files
  fi
}
if [[ $zsh_eval_context[-1] == loadautoload ]]; then
  _gureum "$@"
else
  compdef _gureum gureum
fi
`;
}
