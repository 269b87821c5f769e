// cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, ...).
import { Testing } from "cdktf";
// Brings the matchers' type declarations into every test file.
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
