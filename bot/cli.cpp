// Builds the CLI11 application from the per-command registrars (cmd_*.cpp) and maps outcomes
// to exit codes: usage errors 2, invalid input 3, failed dependencies 4.
#include "bot/cli.hpp"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "bot/cli_context.hpp"
#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"

namespace yimei::bot {

int run_cli(int argc, char** argv, std::vector<PlatformFactory> platforms) {
  CLI::App app{"Yimei 医美 bot: analytics assistant for medical-aesthetics clinics", "yimei"};
  app.set_version_flag("--version", std::string("yimei ") + YIMEI_VERSION);
  app.require_subcommand(1);
  CliContext ctx;
  ctx.platforms = std::move(platforms);
  for (const auto& registrar : command_registrars()) registrar(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  try {
    db::init_driver();
    return ctx.run();
  } catch (const ConfigErrors& e) {
    std::cerr << e.what();
    return kExitUsage;
  } catch (const DependencyError& e) {
    spdlog::error("dependency failed: {}", e.what());
    std::cerr << "依赖服务不可用：" << e.what() << "\n";
    return kExitDependency;
  }
}

}  // namespace yimei::bot
