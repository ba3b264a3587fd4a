/*
 * Parser for one logical Dockerfile instruction line: keyword, leading flags, then either an exec-form
 * JSON array of strings or shell-form text (in which heredoc openers are marked). How the shell-form
 * text is split into arguments depends on the instruction and is done in Java (see README.md).
 */
parser grammar DockerfileParser;

options { tokenVocab = DockerfileLexer; }

// An empty line (a lone escape at the end of the file) is an instruction with an empty keyword.
instruction : ( KEYWORD flag* endOfFlags? arguments? )? EOF ;

flag : FLAG ;

endOfFlags : END_OF_FLAGS ;

arguments : execForm | shellForm ;

execForm : LBRACKET ( STRING ( COMMA STRING )* )? RBRACKET ;

shellForm : ( TEXT | HEREDOC_MARKER )+ ;
