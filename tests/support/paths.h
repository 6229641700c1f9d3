// Where the tests find the source tree and the credflow binary. Defined in
// paths.cc, the only test file compiled with these machine paths, so every
// other object is the same in any checkout (and ccache shares it).
#pragma once

#include <string>

namespace credflow::testing {

// The repository's root (policies/, forms/, tests/scenarios/, ...).
const std::string& SourceDir();
// The credflow binary this build made.
const std::string& CredflowBinary();

}  // namespace credflow::testing
