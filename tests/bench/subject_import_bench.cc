// Writes the CSV that the subject-import benchmark feeds to
// `credflow subject import` (tests/bench/subject_import_bench.sh runs it and
// times the import; figures in README.md here).
//
//   credflow_subject_import_bench --rows 50000 --out subjects.csv [--seed 1]
//
// Every row has a valid GB 32100-2015 unified social credit code (the check
// character computed by forms/, synthetic_credit_code.h), a Chinese name of
// which every seventh holds a comma (so it is quoted), a status, a grade A-D
// with a reason, and a grade date. Codes are distinct; the output is the
// same for the same seed.
#include <CLI/CLI.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include "tests/bench/synthetic_credit_code.h"

int main(int argc, char** argv) {
  CLI::App app{"writes a CSV of subjects for the subject-import benchmark"};
  long rows = 50000;
  std::string out_path;
  unsigned seed = 1;
  app.add_option("--rows", rows, "data rows")->check(CLI::Range(1L, 100000000L));
  app.add_option("--out", out_path, "output file")->required();
  app.add_option("--seed", seed, "random seed");
  CLI11_PARSE(app, argc, argv);

  const std::array<std::string, 6> regions = {"320500", "320100", "440300", "441900", "350100", "330100"};
  const std::array<std::string, 8> cities = {"苏州", "南京", "深圳", "东莞", "福州", "杭州", "无锡", "常州"};
  const std::array<std::string, 8> trades = {"餐饮管理", "五金制品", "贸易", "电子科技",
                                             "建筑工程", "食品",     "物流", "检验检测"};
  const std::array<std::string, 4> grades = {"A", "B", "C", "D"};
  const std::array<std::string, 4> reasons = {"年度分类：无失信记录", "年度分类", "近两年行政处罚两次",
                                              "列入经营异常名录"};
  const std::array<std::string, 5> statuses = {"operating", "not_operating", "unreachable", "deregistered", "bankrupt"};
  std::mt19937 random(seed);
  std::ofstream out(out_path, std::ios::binary);
  if (!out) {
    std::cerr << "cannot write " << out_path << "\n";
    return 2;
  }
  out << "code,name,status,grade,grade_reason,grade_set_on\n";
  for (long i = 0; i < rows; ++i) {
    const std::string code =
        credflow::bench::SyntheticCreditCode(regions[static_cast<size_t>(i) % regions.size()], 1000 + i);
    const size_t pick = random() % 100;
    // Roughly the national mix: most subjects A or B, few D.
    const size_t grade = pick < 45 ? 0 : pick < 85 ? 1 : pick < 97 ? 2 : 3;
    const size_t status = random() % 100 < 92 ? 0 : 1 + random() % 4;
    std::string name = cities[random() % cities.size()] + "市" + std::to_string(i) + "号" +
                       trades[random() % trades.size()] + "有限公司";
    if (i % 7 == 0) name = "\"" + name + ", 分公司\"";
    char date[16];
    std::snprintf(date, sizeof date, "2025-%02d-%02d", 1 + static_cast<int>(random() % 2),
                  1 + static_cast<int>(random() % 28));
    out << code << "," << name << "," << statuses[status] << "," << grades[grade] << "," << reasons[grade] << ","
        << date << "\n";
  }
  return out ? 0 : 1;
}
