// The yimei program: the chat adapters linked in here are handed to the CLI (serve and push use
// them); everything else is wired in bot/cli.cpp.
#include "adapters/wecom/wecom_adapter.hpp"
#include "bot/cli.hpp"

int main(int argc, char** argv) {
  return yimei::bot::run_cli(argc, argv, {yimei::wecom::make_wecom_adapter});
}
