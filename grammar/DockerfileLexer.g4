/*
 * Lexer for one logical Dockerfile instruction line (continuations already joined).
 *
 * The input is the line's UTF-8 bytes seen one char per byte (ISO-8859-1), because BuildKit's flag
 * scanner works byte by byte: bytes 0x85 and 0xA0 count as blanks there. Dynamic state (the active
 * escape character, whether an exec-form JSON array starts here, pending heredoc terminators) lives in
 * DockerfileLexerBase; the grammar only calls its predicates.
 */
lexer grammar DockerfileLexer;

options { superClass = dev.gantry.parse.DockerfileLexerBase; }

// ---- default mode: the keyword --------------------------------------------------------------------

KEYWORD    : ~[ \t\u000B\f\r]+ ;
KEYWORD_WS : [ \t\u000B\f\r]+ -> channel(HIDDEN), pushMode(FLAGS_MODE) ;

// ---- leading --flags -------------------------------------------------------------------------------

mode FLAGS_MODE;

FLAGS_WS    : FLAG_BLANK+ -> channel(HIDDEN) ;
// A bare "--" (after quote removal) ends the flags; it is not a flag itself.
END_OF_FLAGS : '-' '-' FLAG_PART* {isBareDoubleDash()}? -> mode(REST_MODE) ;
FLAG        : '-' '-' FLAG_PART* ;
EXEC_OPEN   : {isExecFormStart()}? '[' -> type(LBRACKET), mode(ARRAY_MODE) ;
FIRST_HEREDOC : {!isExecFormStart()}? HEREDOC_OPENER -> type(HEREDOC_MARKER), mode(TEXT_MODE) ;
FIRST_WORD  : {!isExecFormStart()}? ~[\t\n\u000B\f\r \u0085\u00A0]+ -> type(TEXT), mode(TEXT_MODE) ;

fragment FLAG_BLANK : [\t\n\u000B\f\r \u0085\u00A0] ;
fragment FLAG_PART
  : ESCAPED
  | '"' ( ESCAPED | {!isEscapeNext()}? ~'"' )* ( '"' | {isAtEnd()}? )
  | '\'' ( ESCAPED | {!isEscapeNext()}? ~'\'' )* ( '\'' | {isAtEnd()}? )
  | {!isEscapeNext()}? ~[\t\n\u000B\f\r \u0085\u00A0"']
  ;
fragment ESCAPED : {isEscapeNext()}? . ( . | {isAtEnd()}? ) ;

// ---- the arguments after a bare "--" ----------------------------------------------------------------

mode REST_MODE;

REST_WS    : FLAG_BLANK+ -> channel(HIDDEN) ;
REST_OPEN  : {isExecFormStart()}? '[' -> type(LBRACKET), mode(ARRAY_MODE) ;
REST_HEREDOC : {!isExecFormStart()}? HEREDOC_OPENER -> type(HEREDOC_MARKER), mode(TEXT_MODE) ;
REST_WORD  : {!isExecFormStart()}? ~[\t\n\u000B\f\r \u0085\u00A0]+ -> type(TEXT), mode(TEXT_MODE) ;

// ---- shell form: words, blanks kept on the hidden channel, heredoc openers marked -----------------

mode TEXT_MODE;

TEXT_WS        : [\t\n\u000B\f\r \u0085\u00A0]+ -> channel(HIDDEN) ;
HEREDOC_MARKER : HEREDOC_OPENER ;

fragment HEREDOC_OPENER : [0-9]* '<<' '-'? ~[\t\n\u000B\f\r \u0085\u00A0<]* ;
TEXT           : ~[\t\n\u000B\f\r \u0085\u00A0]+ ;

// ---- exec form: a JSON array of strings (validity checked by the base class before entering) ------

mode ARRAY_MODE;

ARRAY_WS : [ \t\n\r]+ -> channel(HIDDEN) ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA    : ',' ;
STRING   : '"' ( '\\' . | ~["\\] )* '"' ;
