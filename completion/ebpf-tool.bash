# bash completion for ebpf-tool(1)                         -*- shell-script -*-
#
# The commands come from "ebpf-tool --help" and each command's options from
# "ebpf-tool COMMAND --help", run on the binary being completed, so the
# completion follows the binary: a new command or option needs no edit here.
# This file knows only the values of a few options: events, sort keys,
# call-graph types, export formats, palettes, process ids and files.
#
# Works with bash-completion's helpers when they are loaded, and without
# them (plain "complete" and "compgen").

# Values of -e/--event, as in ebpf-tool-perf(1).
_ebpf_tool_events='cpu-clock task-clock cycles instructions cache-references
cache-misses branch-instructions branch-misses'
# Keys of -s/--sort and the words of -g/--call-graph, both comma lists.
_ebpf_tool_sort_keys='comm pid tid dso sym srcline cpu'
_ebpf_tool_graph_words='graph flat folded none caller callee'
# Values of export's --format and the flame graphs' --colors.
_ebpf_tool_formats='folded pprof chrome'
_ebpf_tool_palettes='hot mem io red green blue aqua yellow purple orange'

# The commands that PROG --help lists.
_ebpf_tool_commands()
{
	"$1" --help 2>/dev/null |
		sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\)  *.*/\1/p'
}

# The options of PROG CMD, one per line: "NAME VALUE", where VALUE is the
# placeholder of the option's value in the --help text ("-" for none).
# Option lines are indented by at most 6 spaces; deeper lines continue a
# description.  The option part ends at the first two spaces.
_ebpf_tool_options()
{
	"$1" "$2" --help 2>/dev/null | awk '
		/^ +-/ {
			match($0, /^ +/)
			if (RLENGTH > 6)
				next
			spec = substr($0, RLENGTH + 1)
			sub(/  .*/, "", spec)
			gsub(/,/, " ", spec)
			n = split(spec, tok, " ")
			value = "-"
			k = 0
			for (i = 1; i <= n; i++) {
				# An optional value, "--opt[=VALUE]": "=VALUE".
				if (tok[i] ~ /^-.*\[=/) {
					value = substr(tok[i], index(tok[i], "[=") + 1)
					sub(/\]$/, "", value)
					name[++k] = substr(tok[i], 1, index(tok[i], "[=") - 1)
				} else if (tok[i] ~ /^-/)
					name[++k] = tok[i]
				else if (value == "-")
					value = tok[i]
			}
			for (i = 1; i <= k; i++)
				print name[i], value
		}'
}

# COMPREPLY from a comma-separated list: complete the last element, keep
# the ones before it.
_ebpf_tool_comma_list()
{
	local words=$1 head= last=$cur
	if [[ $cur == *,* ]]; then
		head=${cur%,*},
		last=${cur##*,}
	fi
	COMPREPLY=($(compgen -P "$head" -W "$words" -- "$last"))
	[[ ${#COMPREPLY[@]} -eq 1 ]] && type compopt &>/dev/null &&
		compopt -o nospace 2>/dev/null
}

# COMPREPLY with file names: with a list of extensions ("data data.old"),
# only the files that have one of them, and directories.
_ebpf_tool_files()
{
	if declare -F _filedir >/dev/null; then
		local exts=$1
		_filedir ${exts:+"${exts// /|}"}
		return
	fi
	type compopt &>/dev/null && compopt -o filenames 2>/dev/null
	local IFS=$'\n' ext
	if [[ -n $1 ]]; then
		COMPREPLY=($(compgen -d -- "$cur"))
		for ext in $(IFS=' '; printf '%s\n' $1); do
			COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$cur"))
		done
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}

# COMPREPLY with the value of option OPT whose --help placeholder is VALUE.
_ebpf_tool_value()
{
	local opt=$1 value=$2
	# A lower-case placeholder is the literal value itself ("fp").
	if [[ $value =~ ^[a-z][a-z0-9-]*$ ]]; then
		COMPREPLY=($(compgen -W "$value" -- "$cur"))
		return
	fi
	case $opt in
	-e | --event)
		COMPREPLY=($(compgen -W "$_ebpf_tool_events" -- "$cur")) ;;
	-s | --sort)
		# annotate's -s is a function of the data file: nothing to offer.
		if [[ $cmd == annotate ]]; then
			COMPREPLY=()
		else
			_ebpf_tool_comma_list "$_ebpf_tool_sort_keys"
		fi ;;
	-g | --call-graph)
		# record's is how user stacks are unwound; report's how they print.
		if [[ $cmd == record ]]; then
			COMPREPLY=($(compgen -W "dwarf fp" -- "$cur"))
		else
			_ebpf_tool_comma_list "$_ebpf_tool_graph_words"
		fi ;;
	-i | --input)
		_ebpf_tool_files 'data data.old' ;;
	--format)
		COMPREPLY=($(compgen -W "$_ebpf_tool_formats" -- "$cur")) ;;
	--colors | --colours)
		COMPREPLY=($(compgen -W "$_ebpf_tool_palettes" -- "$cur")) ;;
	--flamegraph)
		_ebpf_tool_files svg ;;
	--debuginfod)
		# The servers of the environment, to start from.
		COMPREPLY=($(compgen -W "${DEBUGINFOD_URLS-}" -- "$cur")) ;;
	-o | --output)
		_ebpf_tool_files ;;
	--data-version)
		COMPREPLY=($(compgen -W "2 1" -- "$cur")) ;;
	--aggregate)
		# record's interval: a few usual ones; any TIME from 1s to 1d works.
		COMPREPLY=($(compgen -W "10s 30s 1m 5m" -- "$cur")) ;;
	-p | --pid)
		local pids
		pids=$(cd /proc 2>/dev/null && compgen -G '[0-9]*')
		_ebpf_tool_comma_list "$pids" ;;
	*)
		# Numbers, CPU lists, durations: nothing to offer.
		COMPREPLY=() ;;
	esac
}

_ebpf_tool()
{
	local cur prev words cword split eq=
	if declare -F _init_completion >/dev/null; then
		_init_completion -s || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		# "=" is a word break: --event=cy arrives as (--event = cy).
		if [[ $cur == = ]]; then
			cur=
			eq=1
		elif [[ $prev == = && $cword -ge 2 ]]; then
			prev=${words[cword - 2]}
			eq=1
		fi
		if [[ $cur == --*=* ]]; then
			prev=${cur%%=*}
			cur=${cur#*=}
			eq=1
		fi
	fi

	local prog=${words[0]/#\~/$HOME}
	COMPREPLY=()

	if ((cword == 1)); then
		if [[ $cur == -* ]]; then
			# The global options, from the usage line.
			COMPREPLY=($(compgen -W "$("$prog" --help 2>/dev/null |
				sed -n '1s/[^-]*\(--*[a-z][a-z-]*\)[^-]*/\1 /gp')" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_ebpf_tool_commands "$prog")" -- "$cur"))
		fi
		return
	fi

	local cmd=${words[1]}
	if [[ $cmd == help ]]; then
		((cword == 2)) &&
			COMPREPLY=($(compgen -W "$(_ebpf_tool_commands "$prog")" -- "$cur"))
		return
	fi

	local opts
	opts=$(_ebpf_tool_options "$prog" "$cmd")
	[[ -n $opts ]] || return

	# Walk the words before the cursor: an option's value is not a
	# command; "--" or the first operand starts a command to run (record).
	local i w value after=0
	for ((i = 2; i < cword; i++)); do
		w=${words[i]}
		if [[ $w == -- ]]; then
			after=$((i + 1))
			break
		fi
		if [[ $w == -* ]]; then
			[[ $w == --*=* ]] && continue
			value=$(awk -v o="$w" '$1 == o { print $2; exit }' <<<"$opts")
			[[ -n $value && $value != - && $value != =* ]] && ((i++))
			# "--opt=VALUE" arrives as (--opt = VALUE).
			[[ $value == =* && ${words[i + 1]-} == = ]] && ((i += 2))
			continue
		fi
		# diff's operands are its two data files, annotate's a function,
		# not a command.
		[[ $cmd == diff || $cmd == annotate ]] && continue
		after=$i
		break
	done
	if ((after > 0)); then
		if declare -F _command_offset >/dev/null; then
			_command_offset "$after"
		elif ((cword == after)); then
			COMPREPLY=($(compgen -c -- "$cur"))
		else
			_ebpf_tool_files
		fi
		return
	fi

	value=$(awk -v o="$prev" '$1 == o { print $2; exit }' <<<"$opts")
	# An optional value only when attached: "--opt=".
	if [[ $value == =* ]]; then
		[[ $split == true || -n $eq ]] && value=${value#=} || value=
	fi
	if [[ -n $value && $value != - ]]; then
		_ebpf_tool_value "$prev" "$value"
		return
	fi

	if [[ $cmd == diff && $cur != -* ]]; then
		_ebpf_tool_files 'data data.old'
	elif [[ $cur == -* || -z $cur ]]; then
		COMPREPLY=($(compgen -W "$(awk '{ print $1 }' <<<"$opts")" -- "$cur"))
	fi
}
complete -F _ebpf_tool ebpf-tool
