// Each file cmd_*.cc adds one group of `jejak` subcommands. A command's callback stores its exit
// code in `exit_code`; main returns it.
#pragma once

namespace CLI {
class App;
}

namespace jejak::cli {

struct GlobalOptions;

void AddKeysCommands(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddHashCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddInitCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddLotCommands(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddEventCommands(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddCaptureCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddQueryCommands(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddProveCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddVerifyCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddTestnetCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddGraphCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddLabelCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddGovernanceCommands(CLI::App& app, GlobalOptions& options, int& exit_code);

}  // namespace jejak::cli
