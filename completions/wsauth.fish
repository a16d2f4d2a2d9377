function __wsauth_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __wsauth_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __wsauth_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __wsauth_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __wsauth_parse_tokens -S
    set -l unparsed_tokens (__wsauth_tokens -pc)
    switch $unparsed_tokens[1]
    case 'wsauth'
        __wsauth_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'probe'
            __wsauth_parse_subcommand 1 'token=' 'token-env=' 'token-file=' 'token-stdin' 'token-in=' 'auth-header=' 'auth-scheme=' 'query-param=' 'protocol-template=' 'cookie-name=' 'auth-message=' 'origin=' 'subprotocol=+' 'compress' 'H/header=+' 'k/insecure' 'cacert=' 'cert=' 'key=' 'x/proxy=' 'resolve=+' 'connect-timeout=' 'm/max-time=' 'b/cookie=' 'c/cookie-jar=' 'v/verbose' 'json' 'show-secrets' 'timeout=' 'version' 'h/help'
        case 'connect'
            __wsauth_parse_subcommand 1 'token=' 'token-env=' 'token-file=' 'token-stdin' 'token-in=' 'auth-header=' 'auth-scheme=' 'query-param=' 'protocol-template=' 'cookie-name=' 'auth-message=' 'origin=' 'subprotocol=+' 'compress' 'send=+' 'send-binary=+' 'expect=+' 'count=' 'timeout=' 'close=' 'expect-close=' 'within=' 'ping-interval=' 'auth-close-codes=' 'max-message-size=' 'reconnect' 'max-retries=' 'H/header=+' 'k/insecure' 'cacert=' 'cert=' 'key=' 'x/proxy=' 'resolve=+' 'connect-timeout=' 'm/max-time=' 'b/cookie=' 'c/cookie-jar=' 'v/verbose' 'json' 'show-secrets' 'binary-as=' 'version' 'h/help'
        case 'codes'
            __wsauth_parse_subcommand 1 'json' 'show-secrets' 'version' 'h/help'
        case 'help'
            __wsauth_parse_subcommand -r 1 'version'
        end
    end
end

function __wsauth_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __wsauth_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __wsauth_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __wsauth_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__wsauth_tokens -p)
    if test -z "$(__wsauth_tokens -t)"
        set -l index (count (__wsauth_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'wsauth' -f
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'probe' -d 'One handshake, reported in full, then a clean close (1000).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'connect' -d 'Open a WebSocket with credentials and talk over it.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'codes' -d 'Explain WebSocket close codes.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" token' -l 'token' -d 'Access token (prefer --token-env/--token-file/--token-stdin: the command line is visible to other users).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" token-env' -l 'token-env' -d 'Read the token from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" token-file' -l 'token-file' -d 'Read the token from this file (first line).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" token-stdin' -l 'token-stdin' -d 'Read the token from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" token-in' -l 'token-in' -d 'Where the token goes: header, query, protocol, cookie or message.' -rfka 'header query protocol cookie message'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" auth-header' -l 'auth-header' -d 'Header for --token-in header.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" auth-scheme' -l 'auth-scheme' -d 'Scheme before the token in the header; "" for none.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" query-param' -l 'query-param' -d 'Query parameter for --token-in query.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" protocol-template' -l 'protocol-template' -d 'Subprotocol for --token-in protocol; {token64} is the unpadded base64url token, {token} the raw one.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" cookie-name' -l 'cookie-name' -d 'Cookie for --token-in cookie.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" auth-message' -l 'auth-message' -d 'First message for --token-in message; {token} is replaced, again on every reconnect.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" origin' -l 'origin' -d 'Origin header to send.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe"' -l 'subprotocol' -d 'Subprotocol to offer (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" compress' -l 'compress' -d 'Offer permessage-deflate compression (RFC 7692).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe"' -s 'H' -l 'header' -d 'Extra request header (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" insecure k' -s 'k' -l 'insecure' -d 'Do not verify the server\'s TLS certificate.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" cacert' -l 'cacert' -d 'CA certificate(s) to trust (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" key' -l 'key' -d 'Private key of the client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" proxy x' -s 'x' -l 'proxy' -d 'Proxy URL (CONNECT tunnel); the proxy environment variables also apply.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe"' -l 'resolve' -d 'Resolve HOST:PORT to ADDR, as curl (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" connect-timeout' -l 'connect-timeout' -d 'Time allowed for the connection (DURATION; bare number = seconds).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" m max-time' -s 'm' -l 'max-time' -d 'Time allowed for the whole command.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" b cookie' -s 'b' -l 'cookie' -d 'Cookies to send: a Netscape cookie file, or NAME=VALUE.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" c cookie-jar' -s 'c' -l 'cookie-jar' -d 'Write cookies to this file afterwards (Netscape format).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" v verbose' -s 'v' -l 'verbose' -d 'Show request and response lines and headers on stderr (secrets redacted).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" timeout' -l 'timeout' -d 'Exit 5 when the probe is not done by then.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" token' -l 'token' -d 'Access token (prefer --token-env/--token-file/--token-stdin: the command line is visible to other users).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" token-env' -l 'token-env' -d 'Read the token from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" token-file' -l 'token-file' -d 'Read the token from this file (first line).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" token-stdin' -l 'token-stdin' -d 'Read the token from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" token-in' -l 'token-in' -d 'Where the token goes: header, query, protocol, cookie or message.' -rfka 'header query protocol cookie message'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" auth-header' -l 'auth-header' -d 'Header for --token-in header.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" auth-scheme' -l 'auth-scheme' -d 'Scheme before the token in the header; "" for none.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" query-param' -l 'query-param' -d 'Query parameter for --token-in query.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" protocol-template' -l 'protocol-template' -d 'Subprotocol for --token-in protocol; {token64} is the unpadded base64url token, {token} the raw one.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" cookie-name' -l 'cookie-name' -d 'Cookie for --token-in cookie.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" auth-message' -l 'auth-message' -d 'First message for --token-in message; {token} is replaced, again on every reconnect.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" origin' -l 'origin' -d 'Origin header to send.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect"' -l 'subprotocol' -d 'Subprotocol to offer (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" compress' -l 'compress' -d 'Offer permessage-deflate compression (RFC 7692).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect"' -l 'send' -d 'Text message to send after the handshake (repeatable; @FILE reads a file).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect"' -l 'send-binary' -d 'Binary message to send (repeatable): @FILE, or base64:DATA.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect"' -l 'expect' -d 'Regular expression a received text message must match (repeatable, in order).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" count' -l 'count' -d 'Finish after N received messages.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" timeout' -l 'timeout' -d 'Exit 5 when not done by then.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" close' -l 'close' -d 'Close with this code when done.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" expect-close' -l 'expect-close' -d 'Succeed only if the server closes with one of these codes.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" within' -l 'within' -d 'With --expect-close: how long after the handshake the close may take.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" ping-interval' -l 'ping-interval' -d 'Send a ping this often and show the round trip.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" auth-close-codes' -l 'auth-close-codes' -d 'Close codes that mean "credentials expired" (default 4001,4003,4401,4403,1008).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" max-message-size' -l 'max-message-size' -d 'Largest message accepted, in bytes; larger ones are refused with close 1009.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" reconnect' -l 'reconnect' -d 'On a drop or an auth close code, refresh the token and reconnect with backoff.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" max-retries' -l 'max-retries' -d 'Reconnect attempts in a row before giving up.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect"' -s 'H' -l 'header' -d 'Extra request header (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" insecure k' -s 'k' -l 'insecure' -d 'Do not verify the server\'s TLS certificate.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" cacert' -l 'cacert' -d 'CA certificate(s) to trust (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" key' -l 'key' -d 'Private key of the client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" proxy x' -s 'x' -l 'proxy' -d 'Proxy URL (CONNECT tunnel); the proxy environment variables also apply.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect"' -l 'resolve' -d 'Resolve HOST:PORT to ADDR, as curl (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" connect-timeout' -l 'connect-timeout' -d 'Time allowed for the connection (DURATION; bare number = seconds).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" m max-time' -s 'm' -l 'max-time' -d 'Time allowed for the whole command.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" b cookie' -s 'b' -l 'cookie' -d 'Cookies to send: a Netscape cookie file, or NAME=VALUE.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" c cookie-jar' -s 'c' -l 'cookie-jar' -d 'Write cookies to this file afterwards (Netscape format).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" v verbose' -s 'v' -l 'verbose' -d 'Show request and response lines and headers on stderr (secrets redacted).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" binary-as' -l 'binary-as' -d 'Show received binary messages as raw bytes, hex or base64 (default: raw when stdout is not a terminal, hex when it is).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth codes" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth codes" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth codes" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth codes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth help" version' -l 'version' -d 'Show the version.'
