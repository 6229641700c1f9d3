// The credflow command line (CLI11): the composition root.
#pragma once

namespace credflow::adapters {

int RunCli(int argc, char** argv);

}  // namespace credflow::adapters
