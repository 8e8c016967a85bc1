import type { Command } from 'commander';

/** The names the completion asks the server for (`gureum __complete KIND`), by what an argument holds. */
export const NAME_KINDS = ['projects', 'apps', 'instances'] as const;
export type NameKind = (typeof NAME_KINDS)[number];

/** A command and what may follow it, for the completion scripts. */
interface Node {
  /** `gureum/projects/ls`: the path of names from the root. */
  key: string;
  name: string;
  summary: string;
  children: Node[];
  options: string[];
  /** Names of this kind complete its first argument. */
  kind: NameKind | undefined;
}

/** What commander keeps of a command and does not expose in its types. */
interface CommandInternals {
  _hidden?: boolean;
}

const visibleCommands = (cmd: Command) => cmd.commands.filter((c) => c.name() !== 'help' && !(c as unknown as CommandInternals)._hidden);

/** What the first argument of `cmd` names: an instance, an app, a project, or nothing known. */
function nameKind(cmd: Command): NameKind | undefined {
  const first = cmd.registeredArguments[0]?.name();
  const group = cmd.parent?.name();
  if (first === undefined || cmd.name() === 'create') return undefined;
  if (first.startsWith('instance')) return 'instances';
  if (first === 'app') return 'apps';
  if (first === 'project') return 'projects';
  if (first === 'name' && (group === 'apps' || group === 'projects')) return group;
  return undefined;
}

function walk(cmd: Command, key: string): Node {
  return {
    key,
    name: cmd.name(),
    summary: cmd.summary() || cmd.description().split('.')[0] || '',
    children: visibleCommands(cmd).map((c) => walk(c, `${key}/${c.name()}`)),
    options: [...cmd.options.flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined)), '--help'],
    kind: nameKind(cmd),
  };
}

function flatten(node: Node): Node[] {
  return [node, ...node.children.flatMap(flatten)];
}

/** Every name a command answers to (its aliases too), for the path matching. */
function names(cmd: Command, key: string): [string, string][] {
  return visibleCommands(cmd).flatMap((c) => {
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
 * offers the subcommands and options of the command reached, and where its first argument is
 * a project, an app or an instance, the names the server has (`gureum __complete`, with the
 * -p/--project and --context already typed; nothing when the server cannot be asked).
 */
export function bashCompletion(program: Command): string {
  const root = walk(program, 'gureum');
  const words = flatten(root)
    .map((n) => `    ${n.key}) words=${quote([...n.children.map((c) => c.name), ...n.options].join(' '))}${n.kind ? `; kind=${n.kind}` : ''} ;;`)
    .join('\n');
  return `# bash completion for gureum: add to ~/.bashrc:  source <(gureum completion bash)
_gureum() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} key=gureum words='' kind='' i w
  local -a scope=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    case "$w" in -p|--project|--context) ((i + 1 < COMP_CWORD)) && scope+=("$w" "\${COMP_WORDS[i+1]}") ;; esac
    case "$key/$w" in
${transitions(program)}
    esac
  done
  case $key in
${words}
  esac
  if [[ $prev == -p || $prev == --project ]]; then
    words=$(gureum __complete projects "\${scope[@]}" 2>/dev/null)
  elif [[ -n $kind && $cur != -* ]]; then
    words=$(gureum __complete $kind "\${scope[@]}" 2>/dev/null)
  fi
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
      return `    ${n.key}) commands=(${described}); options=(${n.options.map(quote).join(' ')})${n.kind ? `; kind=${n.kind}` : ''} ;;`;
    })
    .join('\n');
  return `#compdef gureum
# zsh completion for gureum: add to ~/.zshrc:  source <(gureum completion zsh)
_gureum() {
  local key=gureum kind='' i w
  local -a commands options scope
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    case "$w" in -p|--project|--context) ((i + 1 < CURRENT)) && scope+=("$w" "\${words[i+1]}") ;; esac
    case "$key/$w" in
${transitions(program)}
    esac
  done
  case $key in
${cases}
  esac
  if [[ \${words[CURRENT-1]} == (-p|--project) ]]; then
    compadd -- \${(f)"$(gureum __complete projects $scope 2>/dev/null)"}
  elif [[ \${words[CURRENT]} == -* ]]; then
    compadd -- $options
  elif (( \${#commands} )); then
    _describe 'command' commands
  elif [[ -n $kind ]]; then
    compadd -- \${(f)"$(gureum __complete $kind $scope 2>/dev/null)"}
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
