// The credflow binary. All wiring lives in adapters/cli/app.cc.
#include "adapters/cli/app.h"

int main(int argc, char** argv) { return credflow::adapters::RunCli(argc, argv); }
