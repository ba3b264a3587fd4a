int test(void){return 0;}
