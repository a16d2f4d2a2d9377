#!/bin/bash

__wsauth_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__wsauth_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__wsauth_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__wsauth_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_wsauth() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __wsauth_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    login|refresh|token|status|logout|probe|connect|audit|doctor|codes|serve|demo|help)
        # Offer subcommand argument completions
        "_wsauth_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'login refresh token status logout probe connect audit doctor codes serve demo help' -- "${cur}"))
        ;;
    esac
}

_wsauth_login() {
    repeating_flags=()
    non_repeating_flags=(--password-stdin --form --no-browser --client-secret-stdin --json --show-secrets -k --insecure -v --verbose --version -h --help)
    repeating_options=(-H --header --resolve)
    non_repeating_options=(--user --password-env --password-file -d --data --grant --issuer --audience --timeout --scope --client-id --client-secret-env --client-secret-file --token-path --refresh-token-path --expires-in-path --style --field --ws-url --refresh-url -p --profile --cacert --cert --key -x --proxy --connect-timeout -m --max-time -b --cookie -c --cookie-jar)
    __wsauth_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--user')
        return
        ;;
    '--password-env')
        return
        ;;
    '--password-file')
        return
        ;;
    '-d'|'--data')
        return
        ;;
    '--grant')
        __wsauth_add_completions -W 'password'$'\n''client_credentials'$'\n''authorization_code'$'\n''device_code'
        return
        ;;
    '--issuer')
        return
        ;;
    '--audience')
        return
        ;;
    '--timeout')
        return
        ;;
    '--scope')
        return
        ;;
    '--client-id')
        return
        ;;
    '--client-secret-env')
        return
        ;;
    '--client-secret-file')
        return
        ;;
    '--token-path')
        return
        ;;
    '--refresh-token-path')
        return
        ;;
    '--expires-in-path')
        return
        ;;
    '--style')
        __wsauth_add_completions -W 'json'$'\n''oauth2'
        return
        ;;
    '--field')
        return
        ;;
    '--ws-url')
        return
        ;;
    '--refresh-url')
        return
        ;;
    '-p'|'--profile')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--cacert')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-x'|'--proxy')
        return
        ;;
    '--resolve')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '-m'|'--max-time')
        return
        ;;
    '-b'|'--cookie')
        return
        ;;
    '-c'|'--cookie-jar')
        return
        ;;
    esac
}

_wsauth_refresh() {
    repeating_flags=()
    non_repeating_flags=(--client-secret-stdin --json --show-secrets -k --insecure -v --verbose --version -h --help)
    repeating_options=(-H --header --resolve)
    non_repeating_options=(--client-id --client-secret-env --client-secret-file --token-path --refresh-token-path --expires-in-path --style --field --if-expiring-within -p --profile --cacert --cert --key -x --proxy --connect-timeout -m --max-time -b --cookie -c --cookie-jar)
    __wsauth_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--client-id')
        return
        ;;
    '--client-secret-env')
        return
        ;;
    '--client-secret-file')
        return
        ;;
    '--token-path')
        return
        ;;
    '--refresh-token-path')
        return
        ;;
    '--expires-in-path')
        return
        ;;
    '--style')
        __wsauth_add_completions -W 'json'$'\n''oauth2'
        return
        ;;
    '--field')
        return
        ;;
    '--if-expiring-within')
        return
        ;;
    '-p'|'--profile')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--cacert')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-x'|'--proxy')
        return
        ;;
    '--resolve')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '-m'|'--max-time')
        return
        ;;
    '-b'|'--cookie')
        return
        ;;
    '-c'|'--cookie-jar')
        return
        ;;
    esac
}

_wsauth_token() {
    repeating_flags=()
    non_repeating_flags=(--decode --token-stdin --id --json --show-secrets --version -h --help)
    repeating_options=()
    non_repeating_options=(--token --token-env --token-file -p --profile)
    __wsauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--token')
        return
        ;;
    '--token-env')
        return
        ;;
    '--token-file')
        return
        ;;
    '-p'|'--profile')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    show)
        # Offer subcommand argument completions
        "_wsauth_token_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'show' -- "${cur}"))
        ;;
    esac
}

_wsauth_token_show() {
    repeating_flags=()
    non_repeating_flags=(--token-stdin --id --json --show-secrets --version -h --help)
    repeating_options=()
    non_repeating_options=(--token --token-env --token-file -p --profile)
    __wsauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--token')
        return
        ;;
    '--token-env')
        return
        ;;
    '--token-file')
        return
        ;;
    '-p'|'--profile')
        return
        ;;
    esac
}

_wsauth_status() {
    repeating_flags=()
    non_repeating_flags=(--json --show-secrets --version -h --help)
    repeating_options=()
    non_repeating_options=(-p --profile)
    __wsauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-p'|'--profile')
        return
        ;;
    esac
}

_wsauth_logout() {
    repeating_flags=()
    non_repeating_flags=(--client-secret-stdin --json --show-secrets -k --insecure -v --verbose --version -h --help)
    repeating_options=(-H --header --resolve)
    non_repeating_options=(--revoke-url --revoke-style --client-id --client-secret-env --client-secret-file -p --profile --cacert --cert --key -x --proxy --connect-timeout -m --max-time -b --cookie -c --cookie-jar)
    __wsauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--revoke-url')
        return
        ;;
    '--revoke-style')
        __wsauth_add_completions -W 'rfc7009'$'\n''json'
        return
        ;;
    '--client-id')
        return
        ;;
    '--client-secret-env')
        return
        ;;
    '--client-secret-file')
        return
        ;;
    '-p'|'--profile')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--cacert')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-x'|'--proxy')
        return
        ;;
    '--resolve')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '-m'|'--max-time')
        return
        ;;
    '-b'|'--cookie')
        return
        ;;
    '-c'|'--cookie-jar')
        return
        ;;
    esac
}

_wsauth_probe() {
    repeating_flags=()
    non_repeating_flags=(--token-stdin --password-stdin --compress --ack -k --insecure -v --verbose --json --show-secrets --version -h --help)
    repeating_options=(--subprotocol --subscribe --channel -H --header --resolve)
    non_repeating_options=(-p --profile --token --token-env --token-file --token-in --auth-header --auth-scheme --query-param --protocol-template --cookie-name --auth-message --user --password-env --password-file --origin --session-header --session-cookie --refresh-before --app --namespace --stomp-host --stomp-heart-beat --destination --mqtt-version --mqtt-client-id --keepalive --qos --channel-auth-url --cacert --cert --key -x --proxy --connect-timeout -m --max-time -b --cookie -c --cookie-jar --junit --timeout)
    __wsauth_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-p'|'--profile')
        return
        ;;
    '--token')
        return
        ;;
    '--token-env')
        return
        ;;
    '--token-file')
        return
        ;;
    '--token-in')
        __wsauth_add_completions -W 'header'$'\n''query'$'\n''protocol'$'\n''cookie'$'\n''message'
        return
        ;;
    '--auth-header')
        return
        ;;
    '--auth-scheme')
        return
        ;;
    '--query-param')
        return
        ;;
    '--protocol-template')
        return
        ;;
    '--cookie-name')
        return
        ;;
    '--auth-message')
        return
        ;;
    '--user')
        return
        ;;
    '--password-env')
        return
        ;;
    '--password-file')
        return
        ;;
    '--origin')
        return
        ;;
    '--subprotocol')
        return
        ;;
    '--session-header')
        return
        ;;
    '--session-cookie')
        return
        ;;
    '--refresh-before')
        return
        ;;
    '--app')
        __wsauth_add_completions -W 'socketio'$'\n''graphql-ws'$'\n''graphql-ws-legacy'$'\n''stomp'$'\n''mqtt'$'\n''actioncable'$'\n''pusher'
        return
        ;;
    '--namespace')
        return
        ;;
    '--stomp-host')
        return
        ;;
    '--stomp-heart-beat')
        return
        ;;
    '--subscribe')
        return
        ;;
    '--destination')
        return
        ;;
    '--mqtt-version')
        return
        ;;
    '--mqtt-client-id')
        return
        ;;
    '--keepalive')
        return
        ;;
    '--qos')
        return
        ;;
    '--channel')
        return
        ;;
    '--channel-auth-url')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--cacert')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-x'|'--proxy')
        return
        ;;
    '--resolve')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '-m'|'--max-time')
        return
        ;;
    '-b'|'--cookie')
        return
        ;;
    '-c'|'--cookie-jar')
        return
        ;;
    '--junit')
        return
        ;;
    '--timeout')
        return
        ;;
    esac
}

_wsauth_connect() {
    repeating_flags=()
    non_repeating_flags=(--token-stdin --password-stdin --compress --ack --reconnect -k --insecure -v --verbose --json --show-secrets --version -h --help)
    repeating_options=(--subprotocol --subscribe --channel --send --send-binary --expect -H --header --resolve)
    non_repeating_options=(-p --profile --token --token-env --token-file --token-in --auth-header --auth-scheme --query-param --protocol-template --cookie-name --auth-message --user --password-env --password-file --origin --session-header --session-cookie --refresh-before --app --namespace --stomp-host --stomp-heart-beat --destination --mqtt-version --mqtt-client-id --keepalive --qos --channel-auth-url --count --timeout --close --expect-close --within --ping-interval --auth-close-codes --max-message-size --max-retries --cacert --cert --key -x --proxy --connect-timeout -m --max-time -b --cookie -c --cookie-jar --binary-as --junit)
    __wsauth_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-p'|'--profile')
        return
        ;;
    '--token')
        return
        ;;
    '--token-env')
        return
        ;;
    '--token-file')
        return
        ;;
    '--token-in')
        __wsauth_add_completions -W 'header'$'\n''query'$'\n''protocol'$'\n''cookie'$'\n''message'
        return
        ;;
    '--auth-header')
        return
        ;;
    '--auth-scheme')
        return
        ;;
    '--query-param')
        return
        ;;
    '--protocol-template')
        return
        ;;
    '--cookie-name')
        return
        ;;
    '--auth-message')
        return
        ;;
    '--user')
        return
        ;;
    '--password-env')
        return
        ;;
    '--password-file')
        return
        ;;
    '--origin')
        return
        ;;
    '--subprotocol')
        return
        ;;
    '--session-header')
        return
        ;;
    '--session-cookie')
        return
        ;;
    '--refresh-before')
        return
        ;;
    '--app')
        __wsauth_add_completions -W 'socketio'$'\n''graphql-ws'$'\n''graphql-ws-legacy'$'\n''stomp'$'\n''mqtt'$'\n''actioncable'$'\n''pusher'
        return
        ;;
    '--namespace')
        return
        ;;
    '--stomp-host')
        return
        ;;
    '--stomp-heart-beat')
        return
        ;;
    '--subscribe')
        return
        ;;
    '--destination')
        return
        ;;
    '--mqtt-version')
        return
        ;;
    '--mqtt-client-id')
        return
        ;;
    '--keepalive')
        return
        ;;
    '--qos')
        return
        ;;
    '--channel')
        return
        ;;
    '--channel-auth-url')
        return
        ;;
    '--send')
        return
        ;;
    '--send-binary')
        return
        ;;
    '--expect')
        return
        ;;
    '--count')
        return
        ;;
    '--timeout')
        return
        ;;
    '--close')
        return
        ;;
    '--expect-close')
        return
        ;;
    '--within')
        return
        ;;
    '--ping-interval')
        return
        ;;
    '--auth-close-codes')
        return
        ;;
    '--max-message-size')
        return
        ;;
    '--max-retries')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--cacert')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-x'|'--proxy')
        return
        ;;
    '--resolve')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '-m'|'--max-time')
        return
        ;;
    '-b'|'--cookie')
        return
        ;;
    '-c'|'--cookie-jar')
        return
        ;;
    '--binary-as')
        __wsauth_add_completions -W 'raw'$'\n''hex'$'\n''base64'
        return
        ;;
    '--junit')
        return
        ;;
    esac
}

_wsauth_audit() {
    repeating_flags=()
    non_repeating_flags=(--token-stdin --password-stdin --compress --ack --expired-token-stdin --watch-expiry -k --insecure -v --verbose --json --show-secrets --version -h --help)
    repeating_options=(--subprotocol --subscribe --channel -H --header --resolve)
    non_repeating_options=(-p --profile --token --token-env --token-file --token-in --auth-header --auth-scheme --query-param --protocol-template --cookie-name --auth-message --user --password-env --password-file --origin --session-header --session-cookie --refresh-before --app --namespace --stomp-host --stomp-heart-beat --destination --mqtt-version --mqtt-client-id --keepalive --qos --channel-auth-url --expired-token --expired-token-env --expired-token-file --logout-url --grace --settle --only --skip --junit --sarif --cacert --cert --key -x --proxy --connect-timeout -m --max-time -b --cookie -c --cookie-jar)
    __wsauth_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-p'|'--profile')
        return
        ;;
    '--token')
        return
        ;;
    '--token-env')
        return
        ;;
    '--token-file')
        return
        ;;
    '--token-in')
        __wsauth_add_completions -W 'header'$'\n''query'$'\n''protocol'$'\n''cookie'$'\n''message'
        return
        ;;
    '--auth-header')
        return
        ;;
    '--auth-scheme')
        return
        ;;
    '--query-param')
        return
        ;;
    '--protocol-template')
        return
        ;;
    '--cookie-name')
        return
        ;;
    '--auth-message')
        return
        ;;
    '--user')
        return
        ;;
    '--password-env')
        return
        ;;
    '--password-file')
        return
        ;;
    '--origin')
        return
        ;;
    '--subprotocol')
        return
        ;;
    '--session-header')
        return
        ;;
    '--session-cookie')
        return
        ;;
    '--refresh-before')
        return
        ;;
    '--app')
        __wsauth_add_completions -W 'socketio'$'\n''graphql-ws'$'\n''graphql-ws-legacy'$'\n''stomp'$'\n''mqtt'$'\n''actioncable'$'\n''pusher'
        return
        ;;
    '--namespace')
        return
        ;;
    '--stomp-host')
        return
        ;;
    '--stomp-heart-beat')
        return
        ;;
    '--subscribe')
        return
        ;;
    '--destination')
        return
        ;;
    '--mqtt-version')
        return
        ;;
    '--mqtt-client-id')
        return
        ;;
    '--keepalive')
        return
        ;;
    '--qos')
        return
        ;;
    '--channel')
        return
        ;;
    '--channel-auth-url')
        return
        ;;
    '--expired-token')
        return
        ;;
    '--expired-token-env')
        return
        ;;
    '--expired-token-file')
        return
        ;;
    '--logout-url')
        return
        ;;
    '--grace')
        return
        ;;
    '--settle')
        return
        ;;
    '--only')
        return
        ;;
    '--skip')
        return
        ;;
    '--junit')
        return
        ;;
    '--sarif')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--cacert')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-x'|'--proxy')
        return
        ;;
    '--resolve')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '-m'|'--max-time')
        return
        ;;
    '-b'|'--cookie')
        return
        ;;
    '-c'|'--cookie-jar')
        return
        ;;
    esac
}

_wsauth_doctor() {
    repeating_flags=()
    non_repeating_flags=(--token-stdin --password-stdin --compress --ack --reconnect -k --insecure -v --verbose --json --show-secrets --version -h --help)
    repeating_options=(--subprotocol --subscribe --channel --send --send-binary --expect -H --header --resolve)
    non_repeating_options=(-p --profile --token --token-env --token-file --token-in --auth-header --auth-scheme --query-param --protocol-template --cookie-name --auth-message --user --password-env --password-file --origin --session-header --session-cookie --refresh-before --app --namespace --stomp-host --stomp-heart-beat --destination --mqtt-version --mqtt-client-id --keepalive --qos --channel-auth-url --count --timeout --close --expect-close --within --ping-interval --auth-close-codes --max-message-size --max-retries --cacert --cert --key -x --proxy --connect-timeout -m --max-time -b --cookie -c --cookie-jar --binary-as --repeat --audience --idle)
    __wsauth_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-p'|'--profile')
        return
        ;;
    '--token')
        return
        ;;
    '--token-env')
        return
        ;;
    '--token-file')
        return
        ;;
    '--token-in')
        __wsauth_add_completions -W 'header'$'\n''query'$'\n''protocol'$'\n''cookie'$'\n''message'
        return
        ;;
    '--auth-header')
        return
        ;;
    '--auth-scheme')
        return
        ;;
    '--query-param')
        return
        ;;
    '--protocol-template')
        return
        ;;
    '--cookie-name')
        return
        ;;
    '--auth-message')
        return
        ;;
    '--user')
        return
        ;;
    '--password-env')
        return
        ;;
    '--password-file')
        return
        ;;
    '--origin')
        return
        ;;
    '--subprotocol')
        return
        ;;
    '--session-header')
        return
        ;;
    '--session-cookie')
        return
        ;;
    '--refresh-before')
        return
        ;;
    '--app')
        __wsauth_add_completions -W 'socketio'$'\n''graphql-ws'$'\n''graphql-ws-legacy'$'\n''stomp'$'\n''mqtt'$'\n''actioncable'$'\n''pusher'
        return
        ;;
    '--namespace')
        return
        ;;
    '--stomp-host')
        return
        ;;
    '--stomp-heart-beat')
        return
        ;;
    '--subscribe')
        return
        ;;
    '--destination')
        return
        ;;
    '--mqtt-version')
        return
        ;;
    '--mqtt-client-id')
        return
        ;;
    '--keepalive')
        return
        ;;
    '--qos')
        return
        ;;
    '--channel')
        return
        ;;
    '--channel-auth-url')
        return
        ;;
    '--send')
        return
        ;;
    '--send-binary')
        return
        ;;
    '--expect')
        return
        ;;
    '--count')
        return
        ;;
    '--timeout')
        return
        ;;
    '--close')
        return
        ;;
    '--expect-close')
        return
        ;;
    '--within')
        return
        ;;
    '--ping-interval')
        return
        ;;
    '--auth-close-codes')
        return
        ;;
    '--max-message-size')
        return
        ;;
    '--max-retries')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--cacert')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-x'|'--proxy')
        return
        ;;
    '--resolve')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '-m'|'--max-time')
        return
        ;;
    '-b'|'--cookie')
        return
        ;;
    '-c'|'--cookie-jar')
        return
        ;;
    '--binary-as')
        __wsauth_add_completions -W 'raw'$'\n''hex'$'\n''base64'
        return
        ;;
    '--repeat')
        return
        ;;
    '--audience')
        return
        ;;
    '--idle')
        return
        ;;
    esac
}

_wsauth_codes() {
    repeating_flags=()
    non_repeating_flags=(--json --show-secrets --version -h --help)
    repeating_options=()
    non_repeating_options=()
    __wsauth_offer_flags_options 1
}

_wsauth_serve() {
    repeating_flags=()
    non_repeating_flags=(--accept-expired --no-expiry-close --allow-query-token --ignore-origin --version -h --help)
    repeating_options=(--allowed-origin)
    non_repeating_options=(--host --port --token-ttl --refresh-ttl --users --users-env --users-file --secret --secret-env --secret-file)
    __wsauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--token-ttl')
        return
        ;;
    '--refresh-ttl')
        return
        ;;
    '--users')
        return
        ;;
    '--users-env')
        return
        ;;
    '--users-file')
        return
        ;;
    '--secret')
        return
        ;;
    '--secret-env')
        return
        ;;
    '--secret-file')
        return
        ;;
    '--allowed-origin')
        return
        ;;
    esac
}

_wsauth_demo() {
    repeating_flags=()
    non_repeating_flags=(--json --show-secrets --version -h --help)
    repeating_options=()
    non_repeating_options=(--token-ttl)
    __wsauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--token-ttl')
        return
        ;;
    esac
}

_wsauth_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __wsauth_offer_flags_options -1
}

complete -o filenames -F _wsauth wsauth
