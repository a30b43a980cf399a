#!/usr/bin/zsh -f
# complete_zsh.zsh FPATH_DIR LINE
# Types LINE and a Tab into an interactive zsh (zsh -f, compinit, FPATH_DIR
# first in $fpath) in a pseudo-terminal (zsh/zpty), and prints the matches
# the completion system offers, one a line, as they would be inserted (with
# the prefix that compset moved out of the word and the -S suffix).
# Whatever the completion functions write on stderr goes to stderr.
# Exit status 2 when the shell did not finish completing within 20 s.
emulate -L zsh
zmodload zsh/zpty || exit 2
dir=$1 line=$2
tmp=$(mktemp -d) || exit 2
cat >$tmp/setup.zsh <<EOF
PS1='' RPS1=''
exec 2>>${(q)tmp}/err
fpath=(${(q)dir} \$fpath)
autoload -Uz compinit && compinit -u -D
bindkey '^I' complete-word
zstyle ':completion:*' list-grouped false
# record the matches of every compadd that adds some (not the ones that
# only compute with -O, -A or -D)
compadd() {
    if (( \${@[(I)-[OAD]*]} )); then
        builtin compadd "\$@"
        return
    fi
    local -a __m __P __S
    zparseopts -E -a __junk P:=__P S:=__S
    builtin compadd -A __m "\$@"
    local m
    for m in \$__m; do
        print -r -- "\$IPREFIX\${__P[2]}\$m\${__S[2]}" >>${(q)tmp}/out
    done
    builtin compadd "\$@"
}
_ka_done() { : >>${(q)tmp}/out; print done >${(q)tmp}/done }
comppostfuncs=(_ka_done)
EOF
zpty ka zsh -f -i
zpty -w ka "source ${(q)tmp}/setup.zsh"
zpty -w -n ka "$line"$'\t'
integer i
for ((i = 0; i < 400; i++)); do
    [[ -f $tmp/done ]] && break
    while zpty -r -t ka __junk 2>/dev/null; do :; done
    sleep 0.05
done
zpty -d ka
[[ -f $tmp/err ]] && cat $tmp/err >&2
rc=0
if [[ -f $tmp/done ]]; then
    sort -u $tmp/out
else
    echo "complete_zsh: no completion within 20 s for: $line" >&2
    rc=2
fi
rm -rf $tmp
exit $rc
