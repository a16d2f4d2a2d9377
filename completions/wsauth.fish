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
        case 'login'
            __wsauth_parse_subcommand 1 'user=' 'password-env=' 'password-file=' 'password-stdin' 'form' 'd/data=' 'grant=' 'client-id=' 'client-secret-env=' 'client-secret-file=' 'client-secret-stdin' 'scope=' 'token-path=' 'refresh-token-path=' 'expires-in-path=' 'ws-url=' 'refresh-url=' 'style=' 'field=' 'p/profile=' 'json' 'show-secrets' 'H/header=+' 'k/insecure' 'cacert=' 'cert=' 'key=' 'x/proxy=' 'resolve=+' 'connect-timeout=' 'm/max-time=' 'b/cookie=' 'c/cookie-jar=' 'v/verbose' 'version' 'h/help'
        case 'refresh'
            __wsauth_parse_subcommand 1 'style=' 'field=' 'if-expiring-within=' 'client-id=' 'client-secret-env=' 'client-secret-file=' 'client-secret-stdin' 'token-path=' 'refresh-token-path=' 'expires-in-path=' 'p/profile=' 'json' 'show-secrets' 'H/header=+' 'k/insecure' 'cacert=' 'cert=' 'key=' 'x/proxy=' 'resolve=+' 'connect-timeout=' 'm/max-time=' 'b/cookie=' 'c/cookie-jar=' 'v/verbose' 'version' 'h/help'
        case 'token'
            __wsauth_parse_subcommand 0 'decode' 'token=' 'token-env=' 'token-file=' 'token-stdin' 'p/profile=' 'json' 'show-secrets' 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'show'
                __wsauth_parse_subcommand 0 'token=' 'token-env=' 'token-file=' 'token-stdin' 'p/profile=' 'json' 'show-secrets' 'version' 'h/help'
            end
        case 'status'
            __wsauth_parse_subcommand 0 'p/profile=' 'json' 'show-secrets' 'version' 'h/help'
        case 'logout'
            __wsauth_parse_subcommand 0 'revoke-url=' 'revoke-style=' 'client-id=' 'client-secret-env=' 'client-secret-file=' 'client-secret-stdin' 'p/profile=' 'json' 'show-secrets' 'H/header=+' 'k/insecure' 'cacert=' 'cert=' 'key=' 'x/proxy=' 'resolve=+' 'connect-timeout=' 'm/max-time=' 'b/cookie=' 'c/cookie-jar=' 'v/verbose' 'version' 'h/help'
        case 'probe'
            __wsauth_parse_subcommand 1 'p/profile=' 'token=' 'token-env=' 'token-file=' 'token-stdin' 'token-in=' 'auth-header=' 'auth-scheme=' 'query-param=' 'protocol-template=' 'cookie-name=' 'auth-message=' 'origin=' 'subprotocol=+' 'compress' 'session-header=' 'session-cookie=' 'refresh-before=' 'H/header=+' 'k/insecure' 'cacert=' 'cert=' 'key=' 'x/proxy=' 'resolve=+' 'connect-timeout=' 'm/max-time=' 'b/cookie=' 'c/cookie-jar=' 'v/verbose' 'json' 'show-secrets' 'timeout=' 'version' 'h/help'
        case 'connect'
            __wsauth_parse_subcommand 1 'p/profile=' 'token=' 'token-env=' 'token-file=' 'token-stdin' 'token-in=' 'auth-header=' 'auth-scheme=' 'query-param=' 'protocol-template=' 'cookie-name=' 'auth-message=' 'origin=' 'subprotocol=+' 'compress' 'session-header=' 'session-cookie=' 'refresh-before=' 'send=+' 'send-binary=+' 'expect=+' 'count=' 'timeout=' 'close=' 'expect-close=' 'within=' 'ping-interval=' 'auth-close-codes=' 'max-message-size=' 'reconnect' 'max-retries=' 'H/header=+' 'k/insecure' 'cacert=' 'cert=' 'key=' 'x/proxy=' 'resolve=+' 'connect-timeout=' 'm/max-time=' 'b/cookie=' 'c/cookie-jar=' 'v/verbose' 'json' 'show-secrets' 'binary-as=' 'version' 'h/help'
        case 'audit'
            __wsauth_parse_subcommand 1 'p/profile=' 'token=' 'token-env=' 'token-file=' 'token-stdin' 'token-in=' 'auth-header=' 'auth-scheme=' 'query-param=' 'protocol-template=' 'cookie-name=' 'auth-message=' 'origin=' 'subprotocol=+' 'compress' 'session-header=' 'session-cookie=' 'refresh-before=' 'expired-token=' 'expired-token-env=' 'expired-token-file=' 'expired-token-stdin' 'logout-url=' 'watch-expiry' 'grace=' 'settle=' 'only=' 'skip=' 'junit=' 'H/header=+' 'k/insecure' 'cacert=' 'cert=' 'key=' 'x/proxy=' 'resolve=+' 'connect-timeout=' 'm/max-time=' 'b/cookie=' 'c/cookie-jar=' 'v/verbose' 'json' 'show-secrets' 'version' 'h/help'
        case 'codes'
            __wsauth_parse_subcommand 1 'json' 'show-secrets' 'version' 'h/help'
        case 'serve'
            __wsauth_parse_subcommand 0 'host=' 'port=' 'token-ttl=' 'refresh-ttl=' 'users=' 'users-env=' 'users-file=' 'secret=' 'secret-env=' 'secret-file=' 'allowed-origin=+' 'accept-expired' 'no-expiry-close' 'allow-query-token' 'ignore-origin' 'version' 'h/help'
        case 'demo'
            __wsauth_parse_subcommand 0 'token-ttl=' 'json' 'show-secrets' 'version' 'h/help'
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
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'login' -d 'Log in at a login or OAuth 2.0 token endpoint and store the credentials.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'refresh' -d 'Exchange the stored refresh token for new tokens and store them.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'token' -d 'Print the stored access token (raw, for scripts), or decode it with --decode.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'status' -d 'Show what is stored per profile and how long each credential lasts.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'logout' -d 'Forget the stored credentials (and revoke them at --revoke-url).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'probe' -d 'One handshake, reported in full, then a clean close (1000).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'connect' -d 'Open a WebSocket with credentials and talk over it.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'audit' -d 'Judge how a server treats credentials: a matrix of handshakes and a watch.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'codes' -d 'Explain WebSocket close codes.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'serve' -d 'Run a local reference auth server with a WebSocket echo endpoint.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'demo' -d 'Walk through login → connect → token expiry (close 4001) → refresh → reconnect → logout, narrated.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" user' -l 'user' -d 'The user name.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" password-env' -l 'password-env' -d 'Read the password from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" password-file' -l 'password-file' -d 'Read the password from the first line of this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" password-stdin' -l 'password-stdin' -d 'Read the password from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" form' -l 'form' -d 'Send --user and the password as application/x-www-form-urlencoded.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" d data' -s 'd' -l 'data' -d 'Raw JSON body, or @FILE.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" grant' -l 'grant' -d 'OAuth 2.0 grant (RFC 6749): password or client_credentials.' -rfka 'password client_credentials'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" client-id' -l 'client-id' -d 'OAuth 2.0 client id.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" client-secret-env' -l 'client-secret-env' -d 'Read the OAuth 2.0 client secret from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" client-secret-file' -l 'client-secret-file' -d 'Read the OAuth 2.0 client secret from the first line of this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" client-secret-stdin' -l 'client-secret-stdin' -d 'Read the OAuth 2.0 client secret from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" scope' -l 'scope' -d 'OAuth 2.0 scope.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" token-path' -l 'token-path' -d 'Dotted JSON path of the access token.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" refresh-token-path' -l 'refresh-token-path' -d 'Dotted JSON path of the refresh token.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" expires-in-path' -l 'expires-in-path' -d 'Dotted JSON path of expires_in.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" ws-url' -l 'ws-url' -d 'The WebSocket URL the session is for: remembered, so connect, probe and audit without a URL use it, and its host may receive the stored credentials (cookies are checked against it).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" refresh-url' -l 'refresh-url' -d 'Where `wsauth refresh` and reconnects refresh.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" style' -l 'style' -d 'Refresh request style to record: json or oauth2.' -rfka 'json oauth2'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" field' -l 'field' -d 'JSON field of the refresh token in refresh requests.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" p profile' -s 'p' -l 'profile' -d 'Profile (default: $WSAUTH_PROFILE, else \'default\').' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login"' -s 'H' -l 'header' -d 'Extra request header (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" insecure k' -s 'k' -l 'insecure' -d 'Do not verify the server\'s TLS certificate.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" cacert' -l 'cacert' -d 'CA certificate(s) to trust (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" key' -l 'key' -d 'Private key of the client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" proxy x' -s 'x' -l 'proxy' -d 'Proxy URL (CONNECT tunnel); the proxy environment variables also apply.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login"' -l 'resolve' -d 'Resolve HOST:PORT to ADDR, as curl (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" connect-timeout' -l 'connect-timeout' -d 'Time allowed for the connection (DURATION; bare number = seconds).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" m max-time' -s 'm' -l 'max-time' -d 'Time allowed for the whole command.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" b cookie' -s 'b' -l 'cookie' -d 'Cookies to send: a Netscape cookie file, or NAME=VALUE.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" c cookie-jar' -s 'c' -l 'cookie-jar' -d 'Write cookies to this file afterwards (Netscape format).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" v verbose' -s 'v' -l 'verbose' -d 'Show request and response lines and headers on stderr (secrets redacted).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth login" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" style' -l 'style' -d 'json ({"refresh_token":…}) or oauth2 (RFC 6749 §6 form).' -rfka 'json oauth2'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" field' -l 'field' -d 'JSON field name of the refresh token (json style).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" if-expiring-within' -l 'if-expiring-within' -d 'Refresh only when the token expires within this.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" client-id' -l 'client-id' -d 'OAuth 2.0 client id.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" client-secret-env' -l 'client-secret-env' -d 'Read the OAuth 2.0 client secret from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" client-secret-file' -l 'client-secret-file' -d 'Read the OAuth 2.0 client secret from the first line of this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" client-secret-stdin' -l 'client-secret-stdin' -d 'Read the OAuth 2.0 client secret from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" token-path' -l 'token-path' -d 'Dotted JSON path of the access token.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" refresh-token-path' -l 'refresh-token-path' -d 'Dotted JSON path of the refresh token.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" expires-in-path' -l 'expires-in-path' -d 'Dotted JSON path of expires_in.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" p profile' -s 'p' -l 'profile' -d 'Profile (default: $WSAUTH_PROFILE, else \'default\').' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh"' -s 'H' -l 'header' -d 'Extra request header (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" insecure k' -s 'k' -l 'insecure' -d 'Do not verify the server\'s TLS certificate.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" cacert' -l 'cacert' -d 'CA certificate(s) to trust (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" key' -l 'key' -d 'Private key of the client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" proxy x' -s 'x' -l 'proxy' -d 'Proxy URL (CONNECT tunnel); the proxy environment variables also apply.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh"' -l 'resolve' -d 'Resolve HOST:PORT to ADDR, as curl (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" connect-timeout' -l 'connect-timeout' -d 'Time allowed for the connection (DURATION; bare number = seconds).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" m max-time' -s 'm' -l 'max-time' -d 'Time allowed for the whole command.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" b cookie' -s 'b' -l 'cookie' -d 'Cookies to send: a Netscape cookie file, or NAME=VALUE.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" c cookie-jar' -s 'c' -l 'cookie-jar' -d 'Write cookies to this file afterwards (Netscape format).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" v verbose' -s 'v' -l 'verbose' -d 'Show request and response lines and headers on stderr (secrets redacted).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth refresh" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token" decode' -l 'decode' -d 'Decode the token instead of printing it: JWT header and claims, exp/iat/nbf.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token" token' -l 'token' -d 'The token (prefer --token-env/-file/-stdin: the command line is visible to other users).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token" token-env' -l 'token-env' -d 'Read the token from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token" token-file' -l 'token-file' -d 'Read the token from the first line of this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token" token-stdin' -l 'token-stdin' -d 'Read the token from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token" p profile' -s 'p' -l 'profile' -d 'Profile (default: $WSAUTH_PROFILE, else \'default\').' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_positional "wsauth token" -eq 1' -fa 'show' -d 'Decode a token: JWT header and claims, exp/iat/nbf absolute and relative.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token show" token' -l 'token' -d 'The token (prefer --token-env/-file/-stdin: the command line is visible to other users).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token show" token-env' -l 'token-env' -d 'Read the token from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token show" token-file' -l 'token-file' -d 'Read the token from the first line of this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token show" token-stdin' -l 'token-stdin' -d 'Read the token from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token show" p profile' -s 'p' -l 'profile' -d 'Profile (default: $WSAUTH_PROFILE, else \'default\').' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token show" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token show" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token show" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth token show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth status" p profile' -s 'p' -l 'profile' -d 'Profile (default: $WSAUTH_PROFILE, else \'default\').' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth status" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth status" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth status" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" revoke-url' -l 'revoke-url' -d 'Revocation or logout endpoint to call first (default: the profile\'s revoke_url).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" revoke-style' -l 'revoke-style' -d 'Revocation body: rfc7009 (form, default) or json.' -rfka 'rfc7009 json'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" client-id' -l 'client-id' -d 'OAuth 2.0 client id (default: the one recorded at login).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" client-secret-env' -l 'client-secret-env' -d 'Read the OAuth 2.0 client secret from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" client-secret-file' -l 'client-secret-file' -d 'Read the OAuth 2.0 client secret from the first line of this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" client-secret-stdin' -l 'client-secret-stdin' -d 'Read the OAuth 2.0 client secret from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" p profile' -s 'p' -l 'profile' -d 'Profile (default: $WSAUTH_PROFILE, else \'default\').' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout"' -s 'H' -l 'header' -d 'Extra request header (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" insecure k' -s 'k' -l 'insecure' -d 'Do not verify the server\'s TLS certificate.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" cacert' -l 'cacert' -d 'CA certificate(s) to trust (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" key' -l 'key' -d 'Private key of the client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" proxy x' -s 'x' -l 'proxy' -d 'Proxy URL (CONNECT tunnel); the proxy environment variables also apply.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout"' -l 'resolve' -d 'Resolve HOST:PORT to ADDR, as curl (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" connect-timeout' -l 'connect-timeout' -d 'Time allowed for the connection (DURATION; bare number = seconds).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" m max-time' -s 'm' -l 'max-time' -d 'Time allowed for the whole command.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" b cookie' -s 'b' -l 'cookie' -d 'Cookies to send: a Netscape cookie file, or NAME=VALUE.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" c cookie-jar' -s 'c' -l 'cookie-jar' -d 'Write cookies to this file afterwards (Netscape format).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" v verbose' -s 'v' -l 'verbose' -d 'Show request and response lines and headers on stderr (secrets redacted).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth logout" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" p profile' -s 'p' -l 'profile' -d 'Profile (default: $WSAUTH_PROFILE, else \'default\').' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" token' -l 'token' -d 'The token (prefer --token-env/-file/-stdin: the command line is visible to other users).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" token-env' -l 'token-env' -d 'Read the token from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" token-file' -l 'token-file' -d 'Read the token from the first line of this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" token-stdin' -l 'token-stdin' -d 'Read the token from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" token-in' -l 'token-in' -d 'Where the token goes: header (default), query, protocol, cookie or message.' -rfka 'header query protocol cookie message'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" auth-header' -l 'auth-header' -d 'Header for --token-in header (default Authorization).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" auth-scheme' -l 'auth-scheme' -d 'Scheme before the token in the header (default Bearer; "" for none).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" query-param' -l 'query-param' -d 'Query parameter for --token-in query (default token).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" protocol-template' -l 'protocol-template' -d 'Subprotocol for --token-in protocol; {token64} is the unpadded base64url token, {token} the raw one (default: the Kubernetes form base64url.bearer.authorization.k8s.io.{token64}).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" cookie-name' -l 'cookie-name' -d 'Cookie for --token-in cookie (default token).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" auth-message' -l 'auth-message' -d 'First message for --token-in message; {token} is replaced, again on every reconnect (default {"type":"auth","token":"{token}"}).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" origin' -l 'origin' -d 'Origin header to send.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe"' -l 'subprotocol' -d 'Subprotocol to offer (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" compress' -l 'compress' -d 'Offer permessage-deflate compression (RFC 7692).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" session-header' -l 'session-header' -d 'Send the session ID (from -b, or a stored cookie that matches the URL) in this header, e.g. X-Session-Token, instead of cookies.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" session-cookie' -l 'session-cookie' -d 'The stored cookie that holds the session ID (default: the one set at login, else a well-known name).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth probe" refresh-before' -l 'refresh-before' -d 'Refresh the stored token first when it expires within this margin (default 30s).' -rfka ''
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
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" p profile' -s 'p' -l 'profile' -d 'Profile (default: $WSAUTH_PROFILE, else \'default\').' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" token' -l 'token' -d 'The token (prefer --token-env/-file/-stdin: the command line is visible to other users).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" token-env' -l 'token-env' -d 'Read the token from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" token-file' -l 'token-file' -d 'Read the token from the first line of this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" token-stdin' -l 'token-stdin' -d 'Read the token from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" token-in' -l 'token-in' -d 'Where the token goes: header (default), query, protocol, cookie or message.' -rfka 'header query protocol cookie message'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" auth-header' -l 'auth-header' -d 'Header for --token-in header (default Authorization).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" auth-scheme' -l 'auth-scheme' -d 'Scheme before the token in the header (default Bearer; "" for none).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" query-param' -l 'query-param' -d 'Query parameter for --token-in query (default token).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" protocol-template' -l 'protocol-template' -d 'Subprotocol for --token-in protocol; {token64} is the unpadded base64url token, {token} the raw one (default: the Kubernetes form base64url.bearer.authorization.k8s.io.{token64}).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" cookie-name' -l 'cookie-name' -d 'Cookie for --token-in cookie (default token).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" auth-message' -l 'auth-message' -d 'First message for --token-in message; {token} is replaced, again on every reconnect (default {"type":"auth","token":"{token}"}).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" origin' -l 'origin' -d 'Origin header to send.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect"' -l 'subprotocol' -d 'Subprotocol to offer (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" compress' -l 'compress' -d 'Offer permessage-deflate compression (RFC 7692).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" session-header' -l 'session-header' -d 'Send the session ID (from -b, or a stored cookie that matches the URL) in this header, e.g. X-Session-Token, instead of cookies.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" session-cookie' -l 'session-cookie' -d 'The stored cookie that holds the session ID (default: the one set at login, else a well-known name).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" refresh-before' -l 'refresh-before' -d 'Refresh the stored token first when it expires within this margin (default 30s).' -rfka ''
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
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" binary-as' -l 'binary-as' -d 'Show received binary messages as raw bytes, hex or base64 (default: raw when stdout is not a terminal, hex when it is).' -rfka 'raw hex base64'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth connect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" p profile' -s 'p' -l 'profile' -d 'Profile (default: $WSAUTH_PROFILE, else \'default\').' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" token' -l 'token' -d 'The token (prefer --token-env/-file/-stdin: the command line is visible to other users).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" token-env' -l 'token-env' -d 'Read the token from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" token-file' -l 'token-file' -d 'Read the token from the first line of this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" token-stdin' -l 'token-stdin' -d 'Read the token from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" token-in' -l 'token-in' -d 'Where the token goes: header (default), query, protocol, cookie or message.' -rfka 'header query protocol cookie message'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" auth-header' -l 'auth-header' -d 'Header for --token-in header (default Authorization).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" auth-scheme' -l 'auth-scheme' -d 'Scheme before the token in the header (default Bearer; "" for none).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" query-param' -l 'query-param' -d 'Query parameter for --token-in query (default token).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" protocol-template' -l 'protocol-template' -d 'Subprotocol for --token-in protocol; {token64} is the unpadded base64url token, {token} the raw one (default: the Kubernetes form base64url.bearer.authorization.k8s.io.{token64}).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" cookie-name' -l 'cookie-name' -d 'Cookie for --token-in cookie (default token).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" auth-message' -l 'auth-message' -d 'First message for --token-in message; {token} is replaced, again on every reconnect (default {"type":"auth","token":"{token}"}).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" origin' -l 'origin' -d 'Origin header to send.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit"' -l 'subprotocol' -d 'Subprotocol to offer (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" compress' -l 'compress' -d 'Offer permessage-deflate compression (RFC 7692).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" session-header' -l 'session-header' -d 'Send the session ID (from -b, or a stored cookie that matches the URL) in this header, e.g. X-Session-Token, instead of cookies.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" session-cookie' -l 'session-cookie' -d 'The stored cookie that holds the session ID (default: the one set at login, else a well-known name).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" refresh-before' -l 'refresh-before' -d 'Refresh the stored token first when it expires within this margin (default 30s).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" expired-token' -l 'expired-token' -d 'The expired token (prefer --expired-token-env/-file/-stdin: the command line is visible to other users).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" expired-token-env' -l 'expired-token-env' -d 'Read the expired token from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" expired-token-file' -l 'expired-token-file' -d 'Read the expired token from the first line of this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" expired-token-stdin' -l 'expired-token-stdin' -d 'Read the expired token from the first line of stdin.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" logout-url' -l 'logout-url' -d 'Logout endpoint for the after-logout check. It is POSTed with the token and session cookie given, which REVOKES them: give a throwaway login.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" watch-expiry' -l 'watch-expiry' -d 'Stay connected until the token\'s exp + --grace and report whether, when and with which code the server closes (takes the token\'s remaining lifetime).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" grace' -l 'grace' -d 'How long past exp a socket may stay open before watch-expiry fails.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" settle' -l 'settle' -d 'How long an upgraded socket must stay open to count as accepted.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" only' -l 'only' -d 'Run only these checks (comma-separated names or groups: placement, origin).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" skip' -l 'skip' -d 'Leave out these checks (comma-separated names or groups).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" junit' -l 'junit' -d 'Also write the results as JUnit XML to this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit"' -s 'H' -l 'header' -d 'Extra request header (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" insecure k' -s 'k' -l 'insecure' -d 'Do not verify the server\'s TLS certificate.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" cacert' -l 'cacert' -d 'CA certificate(s) to trust (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" key' -l 'key' -d 'Private key of the client certificate (PEM).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" proxy x' -s 'x' -l 'proxy' -d 'Proxy URL (CONNECT tunnel); the proxy environment variables also apply.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit"' -l 'resolve' -d 'Resolve HOST:PORT to ADDR, as curl (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" connect-timeout' -l 'connect-timeout' -d 'Time allowed for the connection (DURATION; bare number = seconds).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" m max-time' -s 'm' -l 'max-time' -d 'Time allowed for the whole command.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" b cookie' -s 'b' -l 'cookie' -d 'Cookies to send: a Netscape cookie file, or NAME=VALUE.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" c cookie-jar' -s 'c' -l 'cookie-jar' -d 'Write cookies to this file afterwards (Netscape format).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" v verbose' -s 'v' -l 'verbose' -d 'Show request and response lines and headers on stderr (secrets redacted).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth audit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth codes" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth codes" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth codes" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth codes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" host' -l 'host' -d 'Interface to listen on.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" port' -l 'port' -d 'TCP port; 0 picks a free one (printed).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" token-ttl' -l 'token-ttl' -d 'Access-token lifetime.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" refresh-ttl' -l 'refresh-ttl' -d 'Refresh-token and session lifetime.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" users' -l 'users' -d 'Users instead of the demo ones.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" users-env' -l 'users-env' -d 'Read the users (name:password[,…]) from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" users-file' -l 'users-file' -d 'Read the users from this file: name:password, one a line or comma-separated.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" secret' -l 'secret' -d 'HMAC key for the access tokens (default: random per run).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" secret-env' -l 'secret-env' -d 'Read the HMAC key from this environment variable.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" secret-file' -l 'secret-file' -d 'Read the HMAC key from this file.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve"' -l 'allowed-origin' -d 'An Origin allowed to open /ws besides the server\'s own (repeatable).' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" accept-expired' -l 'accept-expired' -d 'Insecure: accept expired access tokens at the handshake (the socket then closes at once with 4001 unless --no-expiry-close).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" no-expiry-close' -l 'no-expiry-close' -d 'Insecure: keep sockets open after their token expires (no close 4001).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" allow-query-token' -l 'allow-query-token' -d 'Insecure: accept ?token= on /ws (query strings end up in logs).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" ignore-origin' -l 'ignore-origin' -d 'Insecure: accept handshakes from any Origin (cross-site WebSocket hijacking).'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth demo" token-ttl' -l 'token-ttl' -d 'How long the demo\'s access tokens live.' -rfka ''
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth demo" json' -l 'json' -d 'Machine-readable output: one JSON event per line on stdout.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth demo" show-secrets' -l 'show-secrets' -d 'Show tokens, passwords, cookies and session IDs in full.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth demo" version' -l 'version' -d 'Show the version.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth demo" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsauth' -n '__wsauth_should_offer_completions_for_flags_or_options "wsauth help" version' -l 'version' -d 'Show the version.'
