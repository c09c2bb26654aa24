#include "goldmine/mining/expression.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "goldmine/core/errors.h"
#include "goldmine/mining/angular_observables.h"

namespace goldmine::mining {
namespace {

constexpr double kPi = 3.14159265358979323846;

// ---------------------------------------------------------------- tokens --

enum class TokenKind { kNumber, kName, kSymbol, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  double number = 0.0;
  int column = 0;  // 1-based
};

std::string Describe(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "end of expression";
  return "'" + token.text + "'";
}

// Appended to every message so that the user sees what was parsed.
std::string Quote(const std::string& text) { return " in \"" + text + "\""; }

bool IsNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool IsDigit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

class Tokenizer {
 public:
  Tokenizer(const std::string& text, const std::string& label)
      : text_(text), label_(label) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (true) {
      while (i < text_.size() &&
             std::isspace(static_cast<unsigned char>(text_[i]))) {
        ++i;
      }
      Token token;
      token.column = static_cast<int>(i) + 1;
      if (i >= text_.size()) {
        tokens.push_back(token);
        return tokens;
      }
      const char c = text_[i];
      if (IsDigit(c) ||
          (c == '.' && i + 1 < text_.size() && IsDigit(text_[i + 1]))) {
        i = ScanNumber(i, &token);
      } else if (IsNameStart(c)) {
        const std::size_t start = i;
        while (i < text_.size() && IsNameChar(text_[i])) ++i;
        token.kind = TokenKind::kName;
        token.text = text_.substr(start, i - start);
      } else {
        static const char* const kSymbols[] = {
            "**", "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/",
            "^",  "<",  ">",  "!",  "(",  ")",  "[",  "]", ",", "."};
        token.kind = TokenKind::kSymbol;
        for (const char* symbol : kSymbols) {
          const std::string candidate(symbol);
          if (text_.compare(i, candidate.size(), candidate) == 0) {
            token.text = candidate;
            break;
          }
        }
        if (token.text.empty()) {
          throw InvalidInput(label_ + ": column " +
                             std::to_string(token.column) +
                             ": unexpected character '" + std::string(1, c) +
                             "'" + Quote(text_));
        }
        i += token.text.size();
      }
      tokens.push_back(token);
    }
  }

 private:
  // Digits, an optional fraction and exponent. "0.pt" is the number 0
  // followed by ".pt": a dot followed by a letter ends the number.
  std::size_t ScanNumber(std::size_t i, Token* token) {
    const std::size_t start = i;
    while (i < text_.size() && IsDigit(text_[i])) ++i;
    if (i < text_.size() && text_[i] == '.' &&
        !(i + 1 < text_.size() && IsNameStart(text_[i + 1]) &&
          text_[i + 1] != 'e' && text_[i + 1] != 'E')) {
      ++i;
      while (i < text_.size() && IsDigit(text_[i])) ++i;
    }
    if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
      std::size_t j = i + 1;
      if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
      if (j < text_.size() && IsDigit(text_[j])) {
        i = j;
        while (i < text_.size() && IsDigit(text_[i])) ++i;
      }
    }
    token->kind = TokenKind::kNumber;
    token->text = text_.substr(start, i - start);
    token->number = std::strtod(token->text.c_str(), nullptr);
    return i;
  }

  const std::string& text_;
  const std::string& label_;
};

// ------------------------------------------------------------ vocabulary --

enum class Type { kNumber, kObject, kCollection };

const char* TypeName(Type type) {
  switch (type) {
    case Type::kNumber:
      return "a number";
    case Type::kObject:
      return "an object";
    case Type::kCollection:
      return "a collection";
  }
  return "";
}

// kH, kW, kZ, kT are pdg(25), pdg(24), pdg(23), pdg(6); kPdg is pdg(ids...)
// with the ids in the node.
enum class Collection {
  kP,
  kPTruth,
  kE,
  kMu,
  kTau,
  kL,
  kA,
  kJ,
  kB,
  kV,
  kH,
  kW,
  kZ,
  kT,
  kPdg
};
const std::pair<const char*, Collection> kCollections[] = {
    {"p", Collection::kP},
    {"p_truth", Collection::kPTruth},
    {"e", Collection::kE},
    {"mu", Collection::kMu},
    {"tau", Collection::kTau},
    {"l", Collection::kL},
    {"a", Collection::kA},
    {"j", Collection::kJ},
    {"b", Collection::kB},
    {"v", Collection::kV},
    {"h", Collection::kH},
    {"w", Collection::kW},
    {"z", Collection::kZ},
    {"t", Collection::kT}};

// The function that makes a collection of record particles by |PDG id|.
constexpr const char* kPdgFunction = "pdg";

enum class NamedObject { kMet, kVisible, kAll };
const std::pair<const char*, NamedObject> kNamedObjects[] = {
    {"met", NamedObject::kMet},
    {"visible", NamedObject::kVisible},
    {"all", NamedObject::kAll}};

enum class Scalar {
  kNParticles,
  kHt,
  kNJets,
  kNBJets,
  kNLeptons,
  kNElectrons,
  kNMuons,
  kNTaus,
  kNPhotons,
  kNNeutrinos
};
const std::pair<const char*, Scalar> kScalars[] = {
    {"n_particles", Scalar::kNParticles},
    {"ht", Scalar::kHt},
    {"n_jets", Scalar::kNJets},
    {"n_bjets", Scalar::kNBJets},
    {"n_leptons", Scalar::kNLeptons},
    {"n_electrons", Scalar::kNElectrons},
    {"n_muons", Scalar::kNMuons},
    {"n_taus", Scalar::kNTaus},
    {"n_photons", Scalar::kNPhotons},
    {"n_neutrinos", Scalar::kNNeutrinos}};

enum class Attribute {
  kPt,
  kEta,
  kPhi,
  kM,
  kE,
  kPx,
  kPy,
  kPz,
  kMt,
  kTheta,
  kRapidity,
  kP,
  kCharge,
  kPdgId,
  kBTag,
  kTTag,
  kTauTag
};
const std::pair<const char*, Attribute> kAttributes[] = {
    {"pt", Attribute::kPt},         {"eta", Attribute::kEta},
    {"phi", Attribute::kPhi},       {"m", Attribute::kM},
    {"mass", Attribute::kM},        {"e", Attribute::kE},
    {"E", Attribute::kE},           {"energy", Attribute::kE},
    {"t", Attribute::kE},           {"px", Attribute::kPx},
    {"x", Attribute::kPx},          {"py", Attribute::kPy},
    {"y", Attribute::kPy},          {"pz", Attribute::kPz},
    {"z", Attribute::kPz},          {"mt", Attribute::kMt},
    {"theta", Attribute::kTheta},   {"rapidity", Attribute::kRapidity},
    {"p", Attribute::kP},           {"charge", Attribute::kCharge},
    {"pdgid", Attribute::kPdgId},   {"pdg_id", Attribute::kPdgId},
    {"b_tag", Attribute::kBTag},    {"t_tag", Attribute::kTTag},
    {"tau_tag", Attribute::kTauTag}};

enum class Function {
  kSqrt,
  kAbs,
  kExp,
  kLog,
  kLog10,
  kSin,
  kCos,
  kTan,
  kAsin,
  kAcos,
  kAtan,
  kSinh,
  kCosh,
  kTanh,
  kFloor,
  kCeil,
  kAtan2,
  kPow,
  kMin,
  kMax,
  kLen,
  kSum,
  kDeltaR,
  kDeltaPhi,
  kDeltaEta,
  kSignedDeltaPhi,
  kDeltaY,
  kCosThetaCs,
  kPhiCs,
  kCosThetaDecay,
  kPhiDecay
};
const std::pair<const char*, Function> kFunctions[] = {
    {"sqrt", Function::kSqrt},
    {"abs", Function::kAbs},
    {"fabs", Function::kAbs},
    {"exp", Function::kExp},
    {"log", Function::kLog},
    {"log10", Function::kLog10},
    {"sin", Function::kSin},
    {"cos", Function::kCos},
    {"tan", Function::kTan},
    {"asin", Function::kAsin},
    {"acos", Function::kAcos},
    {"atan", Function::kAtan},
    {"sinh", Function::kSinh},
    {"cosh", Function::kCosh},
    {"tanh", Function::kTanh},
    {"floor", Function::kFloor},
    {"ceil", Function::kCeil},
    {"atan2", Function::kAtan2},
    {"pow", Function::kPow},
    {"min", Function::kMin},
    {"max", Function::kMax},
    {"len", Function::kLen},
    {"sum", Function::kSum},
    {"deltaR", Function::kDeltaR},
    {"deltaphi", Function::kDeltaPhi},
    {"deltaeta", Function::kDeltaEta},
    {"signed_deltaphi", Function::kSignedDeltaPhi},
    {"deltay", Function::kDeltaY},
    {"costheta_cs", Function::kCosThetaCs},
    {"phi_cs", Function::kPhiCs},
    {"costheta_decay", Function::kCosThetaDecay},
    {"phi_decay", Function::kPhiDecay}};

const std::pair<const char*, double> kConstants[] = {
    {"pi", kPi}, {"True", 1.0}, {"False", 0.0}, {"true", 1.0}, {"false", 0.0}};

template <typename T, std::size_t N>
const T* Find(const std::pair<const char*, T> (&table)[N],
              const std::string& name) {
  for (const auto& entry : table) {
    if (name == entry.first) return &entry.second;
  }
  return nullptr;
}

template <typename T, std::size_t N>
std::string Names(const std::pair<const char*, T> (&table)[N]) {
  std::string names;
  for (const auto& entry : table) {
    if (!names.empty()) names += " ";
    names += entry.first;
  }
  return names;
}

template <typename T, std::size_t N>
const char* NameOf(const std::pair<const char*, T> (&table)[N], T value) {
  for (const auto& entry : table) {
    if (entry.second == value) return entry.first;
  }
  return "?";
}

enum class Comparison {
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kEqual,
  kNotEqual
};

std::optional<Comparison> ComparisonOf(const Token& token) {
  if (token.kind != TokenKind::kSymbol) return std::nullopt;
  if (token.text == "<") return Comparison::kLess;
  if (token.text == "<=") return Comparison::kLessEqual;
  if (token.text == ">") return Comparison::kGreater;
  if (token.text == ">=") return Comparison::kGreaterEqual;
  if (token.text == "==") return Comparison::kEqual;
  if (token.text == "!=") return Comparison::kNotEqual;
  return std::nullopt;
}

const char* ComparisonText(Comparison comparison) {
  switch (comparison) {
    case Comparison::kLess:
      return "<";
    case Comparison::kLessEqual:
      return "<=";
    case Comparison::kGreater:
      return ">";
    case Comparison::kGreaterEqual:
      return ">=";
    case Comparison::kEqual:
      return "==";
    case Comparison::kNotEqual:
      return "!=";
  }
  return "?";
}

}  // namespace

// ------------------------------------------------------------------ tree --

struct Expression::Node {
  enum class Op {
    kConstant,
    kObservable,
    kScalar,
    kCollection,
    kNamedObject,
    kIndex,
    kAttribute,
    kNegate,
    kAdd,
    kSubtract,
    kMultiply,
    kDivide,
    kPower,
    kNot,
    kAnd,
    kOr,
    kCompare,
    kFunction,
  };
  Op op = Op::kConstant;
  Type type = Type::kNumber;
  double number = 0.0;
  int which = 0;                        // enum value or observable index
  std::vector<Comparison> comparisons;  // kCompare: between children
  std::string name;                     // observable name, for Canonical()
  std::vector<int> pdg_ids;             // Collection::kPdg: |PDG ids|
  std::vector<std::unique_ptr<Node>> children;
};

namespace {

using Node = Expression::Node;
using NodePtr = std::unique_ptr<Node>;

NodePtr MakeNode(Node::Op op, Type type) {
  auto node = std::make_unique<Node>();
  node->op = op;
  node->type = type;
  return node;
}

class Parser {
 public:
  Parser(const std::string& text,
         const std::vector<std::string>& observable_names,
         const std::string& label)
      : tokens_(Tokenizer(text, label).Run()),
        text_(text),
        observable_names_(observable_names),
        label_(label) {}

  NodePtr Run() {
    // Every operator is a level of the tree that evaluation recurses
    // through: a bound on the tokens bounds the stack (a fuzzed chain of
    // 844 '(' overflowed it while parsing, issue 15).
    if (tokens_.size() > kMaxTokens) {
      throw InvalidInput(label_ + ": " + std::to_string(tokens_.size()) +
                         " tokens; an expression may have at most " +
                         std::to_string(kMaxTokens));
    }
    NodePtr root = ParseOr();
    if (Peek().kind != TokenKind::kEnd)
      Fail(Peek(), "an operator or end of expression");
    return root;
  }

 private:
  const Token& Peek() const { return tokens_[position_]; }
  const Token& Next() {
    const Token& token = tokens_[position_];
    if (token.kind != TokenKind::kEnd) ++position_;
    return token;
  }
  bool IsSymbol(const char* symbol) const {
    return Peek().kind == TokenKind::kSymbol && Peek().text == symbol;
  }
  bool IsKeyword(const char* keyword) const {
    return Peek().kind == TokenKind::kName && Peek().text == keyword;
  }
  void Expect(const char* symbol) {
    if (!IsSymbol(symbol)) Fail(Peek(), std::string("'") + symbol + "'");
    Next();
  }

  [[noreturn]] void Fail(const Token& token,
                         const std::string& expected) const {
    throw InvalidInput(label_ + ": column " + std::to_string(token.column) +
                       ": expected " + expected + ", got " + Describe(token) +
                       Quote(text_));
  }
  [[noreturn]] void FailAt(const Token& token,
                           const std::string& message) const {
    throw InvalidInput(label_ + ": column " + std::to_string(token.column) +
                       ": " + message + Quote(text_));
  }
  void RequireType(const Node& node,
                   Type type,
                   const Token& at,
                   const std::string& context) const {
    if (node.type != type) {
      FailAt(at,
             context + " needs " + TypeName(type) + ", got " +
                 TypeName(node.type));
    }
  }

  NodePtr Binary(Node::Op op, Type type, NodePtr left, NodePtr right) {
    NodePtr node = MakeNode(op, type);
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    return node;
  }

  // Counts the nesting of the recursive rules (parentheses, arguments,
  // indices, unary operators, exponents) and refuses deep nesting.
  class Nesting {
   public:
    explicit Nesting(Parser& parser) : parser_(parser) {
      if (++parser_.nesting_ > kMaxNesting) {
        parser_.FailAt(
            parser_.Peek(),
            "nesting deeper than " + std::to_string(kMaxNesting) + " levels");
      }
    }
    ~Nesting() { --parser_.nesting_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& parser_;
  };
  static constexpr int kMaxNesting = 600;
  static constexpr std::size_t kMaxTokens = 4096;

  NodePtr ParseOr() {
    const Nesting nesting(*this);
    NodePtr left = ParseAnd();
    while (IsKeyword("or") || IsSymbol("||")) {
      const Token op = Next();
      NodePtr right = ParseAnd();
      RequireType(*left, Type::kNumber, op, "'" + op.text + "'");
      RequireType(*right, Type::kNumber, op, "'" + op.text + "'");
      left = Binary(
          Node::Op::kOr, Type::kNumber, std::move(left), std::move(right));
    }
    return left;
  }

  NodePtr ParseAnd() {
    NodePtr left = ParseNot();
    while (IsKeyword("and") || IsSymbol("&&")) {
      const Token op = Next();
      NodePtr right = ParseNot();
      RequireType(*left, Type::kNumber, op, "'" + op.text + "'");
      RequireType(*right, Type::kNumber, op, "'" + op.text + "'");
      left = Binary(
          Node::Op::kAnd, Type::kNumber, std::move(left), std::move(right));
    }
    return left;
  }

  NodePtr ParseNot() {
    const Nesting nesting(*this);
    if (IsKeyword("not") || IsSymbol("!")) {
      const Token op = Next();
      NodePtr operand = ParseNot();
      RequireType(*operand, Type::kNumber, op, "'" + op.text + "'");
      NodePtr node = MakeNode(Node::Op::kNot, Type::kNumber);
      node->children.push_back(std::move(operand));
      return node;
    }
    return ParseComparison();
  }

  NodePtr ParseComparison() {
    NodePtr first = ParseAdditive();
    std::optional<Comparison> comparison = ComparisonOf(Peek());
    if (!comparison) return first;
    NodePtr node = MakeNode(Node::Op::kCompare, Type::kNumber);
    const Token first_op = Peek();
    RequireType(*first, Type::kNumber, first_op, "'" + first_op.text + "'");
    node->children.push_back(std::move(first));
    while (comparison) {
      const Token op = Next();
      NodePtr operand = ParseAdditive();
      RequireType(*operand, Type::kNumber, op, "'" + op.text + "'");
      node->comparisons.push_back(*comparison);
      node->children.push_back(std::move(operand));
      comparison = ComparisonOf(Peek());
    }
    return node;
  }

  NodePtr ParseAdditive() {
    NodePtr left = ParseMultiplicative();
    while (IsSymbol("+") || IsSymbol("-")) {
      const Token op = Next();
      NodePtr right = ParseMultiplicative();
      if (left->type == Type::kCollection || right->type == Type::kCollection ||
          left->type != right->type) {
        FailAt(op,
               "'" + op.text + "' needs two numbers or two objects, got " +
                   TypeName(left->type) + " and " + TypeName(right->type));
      }
      const Type type = left->type;
      left = Binary(op.text == "+" ? Node::Op::kAdd : Node::Op::kSubtract,
                    type,
                    std::move(left),
                    std::move(right));
    }
    return left;
  }

  NodePtr ParseMultiplicative() {
    NodePtr left = ParseUnary();
    while (IsSymbol("*") || IsSymbol("/")) {
      const Token op = Next();
      NodePtr right = ParseUnary();
      const bool multiply = op.text == "*";
      Type type = Type::kNumber;
      if (left->type == Type::kNumber && right->type == Type::kNumber) {
        type = Type::kNumber;
      } else if (left->type == Type::kObject && right->type == Type::kNumber) {
        type = Type::kObject;
      } else if (multiply && left->type == Type::kNumber &&
                 right->type == Type::kObject) {
        type = Type::kObject;
      } else {
        FailAt(op,
               "'" + op.text + "' cannot combine " + TypeName(left->type) +
                   " and " + TypeName(right->type));
      }
      left = Binary(multiply ? Node::Op::kMultiply : Node::Op::kDivide,
                    type,
                    std::move(left),
                    std::move(right));
    }
    return left;
  }

  NodePtr ParseUnary() {
    const Nesting nesting(*this);
    if (IsSymbol("-") || IsSymbol("+")) {
      const Token op = Next();
      NodePtr operand = ParseUnary();
      if (operand->type == Type::kCollection) {
        FailAt(op,
               "unary '" + op.text +
                   "' needs a number or an object, got a collection");
      }
      if (op.text == "+") return operand;
      NodePtr node = MakeNode(Node::Op::kNegate, operand->type);
      node->children.push_back(std::move(operand));
      return node;
    }
    return ParsePower();
  }

  NodePtr ParsePower() {
    NodePtr base = ParsePostfix();
    if (IsSymbol("**") || IsSymbol("^")) {
      const Token op = Next();
      NodePtr exponent = ParseUnary();  // right-associative, 2**-1 allowed
      RequireType(*base, Type::kNumber, op, "'" + op.text + "'");
      RequireType(*exponent, Type::kNumber, op, "'" + op.text + "'");
      return Binary(Node::Op::kPower,
                    Type::kNumber,
                    std::move(base),
                    std::move(exponent));
    }
    return base;
  }

  NodePtr ParsePostfix() {
    NodePtr node = ParsePrimary();
    while (true) {
      if (IsSymbol("[")) {
        const Token open = Next();
        if (node->type != Type::kCollection) {
          FailAt(open,
                 "'[' needs a collection, got " +
                     std::string(TypeName(node->type)));
        }
        const Token index_start = Peek();
        NodePtr index = ParseOr();
        RequireType(*index, Type::kNumber, index_start, "an index");
        Expect("]");
        node = Binary(
            Node::Op::kIndex, Type::kObject, std::move(node), std::move(index));
      } else if (IsSymbol(".")) {
        const Token dot = Next();
        const Token name = Peek();
        if (name.kind != TokenKind::kName) {
          Fail(name, "an attribute name after '.'");
        }
        Next();
        if (node->type != Type::kObject) {
          FailAt(dot,
                 "attribute '" + name.text + "' needs an object, got " +
                     TypeName(node->type));
        }
        node = ParseMember(std::move(node), name);
      } else {
        return node;
      }
    }
  }

  NodePtr ParseMember(NodePtr object, const Token& name) {
    const Function* method = Find(kFunctions, name.text);
    if (method != nullptr &&
        (*method == Function::kDeltaR || *method == Function::kDeltaPhi ||
         *method == Function::kDeltaEta)) {
      Expect("(");
      NodePtr node = MakeNode(Node::Op::kFunction, Type::kNumber);
      node->which = static_cast<int>(*method);
      node->children.push_back(std::move(object));
      const Token argument_start = Peek();
      NodePtr argument = ParseOr();
      RequireType(*argument, Type::kObject, argument_start, name.text + "()");
      node->children.push_back(std::move(argument));
      Expect(")");
      return node;
    }
    const Attribute* attribute = Find(kAttributes, name.text);
    if (attribute == nullptr) {
      FailAt(name,
             "unknown attribute '" + name.text + "'; expected one of " +
                 Names(kAttributes) + ", deltaR deltaphi deltaeta");
    }
    if (IsSymbol("(")) {  // met.phi() as in MadMiner's default observables
      Next();
      Expect(")");
    }
    NodePtr node = MakeNode(Node::Op::kAttribute, Type::kNumber);
    node->which = static_cast<int>(*attribute);
    node->children.push_back(std::move(object));
    return node;
  }

  NodePtr ParsePrimary() {
    const Token token = Peek();
    if (token.kind == TokenKind::kNumber) {
      Next();
      NodePtr node = MakeNode(Node::Op::kConstant, Type::kNumber);
      node->number = token.number;
      return node;
    }
    if (IsSymbol("(")) {
      Next();
      NodePtr inner = ParseOr();
      Expect(")");
      return inner;
    }
    if (token.kind != TokenKind::kName || token.text == "and" ||
        token.text == "or" || token.text == "not") {
      Fail(token, "a number, a name or '('");
    }
    Next();
    const std::string& name = token.text;
    if (IsSymbol("(")) return ParseCall(token);
    for (std::size_t i = 0; i < observable_names_.size(); ++i) {
      if (observable_names_[i] == name) {
        NodePtr node = MakeNode(Node::Op::kObservable, Type::kNumber);
        node->which = static_cast<int>(i);
        node->name = name;
        return node;
      }
    }
    if (const double* constant = Find(kConstants, name)) {
      NodePtr node = MakeNode(Node::Op::kConstant, Type::kNumber);
      node->number = *constant;
      node->name = name;
      return node;
    }
    if (const Collection* collection = Find(kCollections, name)) {
      NodePtr node = MakeNode(Node::Op::kCollection, Type::kCollection);
      node->which = static_cast<int>(*collection);
      return node;
    }
    if (const NamedObject* object = Find(kNamedObjects, name)) {
      NodePtr node = MakeNode(Node::Op::kNamedObject, Type::kObject);
      node->which = static_cast<int>(*object);
      return node;
    }
    if (const Scalar* scalar = Find(kScalars, name)) {
      NodePtr node = MakeNode(Node::Op::kScalar, Type::kNumber);
      node->which = static_cast<int>(*scalar);
      return node;
    }
    if (Find(kFunctions, name) != nullptr || name == kPdgFunction) {
      Fail(tokens_[position_], "'(' after function " + name);
    }
    std::string known = "collections " + Names(kCollections) +
                        " pdg(id); objects " + Names(kNamedObjects) +
                        "; numbers " + Names(kScalars) + " pi";
    if (!observable_names_.empty()) {
      known += "; observables";
      for (const std::string& observable : observable_names_)
        known += " " + observable;
    }
    FailAt(token, "unknown name '" + name + "'; known: " + known);
  }

  // pdg(25) or pdg(11, 13): the record particles whose |PDG id| is listed.
  // The ids are positive integer literals, so that the collection is known
  // while parsing.
  NodePtr ParsePdgCollection() {
    Expect("(");
    NodePtr node = MakeNode(Node::Op::kCollection, Type::kCollection);
    node->which = static_cast<int>(Collection::kPdg);
    while (true) {
      const Token id = Peek();
      if (id.kind != TokenKind::kNumber || !(id.number >= 1.0) ||
          id.number != std::floor(id.number) || id.number > 1e9) {
        Fail(id,
             "a positive integer PDG id (particle and antiparticle both "
             "match)");
      }
      Next();
      node->pdg_ids.push_back(static_cast<int>(id.number));
      if (!IsSymbol(",")) break;
      Next();
    }
    Expect(")");
    return node;
  }

  NodePtr ParseCall(const Token& name) {
    if (name.text == kPdgFunction) return ParsePdgCollection();
    const Function* function = Find(kFunctions, name.text);
    if (function == nullptr) {
      FailAt(name,
             "unknown function '" + name.text + "'; expected one of " +
                 Names(kFunctions));
    }
    Expect("(");
    NodePtr node = MakeNode(Node::Op::kFunction, Type::kNumber);
    node->which = static_cast<int>(*function);
    std::vector<Token> starts;
    if (!IsSymbol(")")) {
      while (true) {
        starts.push_back(Peek());
        node->children.push_back(ParseOr());
        if (!IsSymbol(",")) break;
        Next();
      }
    }
    if (!IsSymbol(")")) Fail(Peek(), "',' or ')'");
    const Token close = Next();

    // Signature checks: argument count and types.
    std::size_t min_arguments = 1;
    std::size_t max_arguments = 1;
    Type argument_type = Type::kNumber;
    switch (*function) {
      case Function::kAtan2:
      case Function::kPow:
        min_arguments = max_arguments = 2;
        break;
      case Function::kMin:
      case Function::kMax:
        min_arguments = 2;
        max_arguments = static_cast<std::size_t>(-1);
        break;
      case Function::kLen:
        argument_type = Type::kCollection;
        break;
      case Function::kSum:
        argument_type = Type::kCollection;
        node->type = Type::kObject;
        break;
      case Function::kDeltaR:
      case Function::kDeltaPhi:
      case Function::kDeltaEta:
      case Function::kSignedDeltaPhi:
      case Function::kDeltaY:
      case Function::kCosThetaCs:
      case Function::kPhiCs:
        min_arguments = max_arguments = 2;
        argument_type = Type::kObject;
        break;
      case Function::kCosThetaDecay:
      case Function::kPhiDecay:
        min_arguments = 2;
        max_arguments = 3;
        argument_type = Type::kObject;
        break;
      default:
        break;
    }
    const std::size_t count = node->children.size();
    if (count < min_arguments || count > max_arguments) {
      std::string expected = std::to_string(min_arguments);
      if (max_arguments == min_arguments + 1) {
        expected += " or " + std::to_string(max_arguments);
      } else if (max_arguments != min_arguments) {
        expected += " or more";
      }
      FailAt(close,
             name.text + "() takes " + expected + " argument" +
                 (min_arguments == 1 && max_arguments == 1 ? "" : "s") +
                 ", got " + std::to_string(count));
    }
    for (std::size_t i = 0; i < count; ++i) {
      RequireType(*node->children[i],
                  argument_type,
                  starts[i],
                  name.text + "() argument " + std::to_string(i + 1));
    }
    return node;
  }

  std::vector<Token> tokens_;
  std::size_t position_ = 0;
  int nesting_ = 0;
  const std::string& text_;
  const std::vector<std::string>& observable_names_;
  const std::string& label_;
};

// ------------------------------------------------------------ evaluation --

struct Context {
  const EventObjects& objects;
  const double* observables;
};

// The record particles whose |PDG id| is one of `ids`, in the record's
// (descending pT) order.
const std::vector<PhysicsObject>& ParticlesWithIds(
    const EventObjects& objects,
    const std::vector<int>& ids,
    std::vector<PhysicsObject>* scratch) {
  scratch->clear();
  for (const PhysicsObject& particle : objects.record) {
    const int abs_id = std::abs(particle.pdg_id);
    for (int id : ids) {
      if (abs_id == id) {
        scratch->push_back(particle);
        break;
      }
    }
  }
  return *scratch;
}

// `collection` is a kCollection node; pdg collections are filtered into
// `scratch`, which must outlive the use of the result.
const std::vector<PhysicsObject>& CollectionOf(
    const EventObjects& objects,
    const Node& collection,
    std::vector<PhysicsObject>* scratch) {
  switch (static_cast<Collection>(collection.which)) {
    case Collection::kH:
      return ParticlesWithIds(objects, {25}, scratch);
    case Collection::kW:
      return ParticlesWithIds(objects, {24}, scratch);
    case Collection::kZ:
      return ParticlesWithIds(objects, {23}, scratch);
    case Collection::kT:
      return ParticlesWithIds(objects, {6}, scratch);
    case Collection::kPdg:
      return ParticlesWithIds(objects, collection.pdg_ids, scratch);
    case Collection::kP:
      return objects.p;
    case Collection::kPTruth:
      return objects.p_truth;
    case Collection::kE:
      return objects.e;
    case Collection::kMu:
      return objects.mu;
    case Collection::kTau:
      return objects.tau;
    case Collection::kL:
      return objects.l;
    case Collection::kA:
      return objects.a;
    case Collection::kJ:
      return objects.j;
    case Collection::kB:
      return objects.b;
    case Collection::kV:
      return objects.v;
  }
  return objects.p;
}

double ScalarOf(const EventObjects& objects, int which) {
  switch (static_cast<Scalar>(which)) {
    case Scalar::kNParticles:
      return objects.n_particles;
    case Scalar::kHt:
      return objects.ht;
    case Scalar::kNJets:
      return static_cast<double>(objects.j.size());
    case Scalar::kNBJets:
      return static_cast<double>(objects.b.size());
    case Scalar::kNLeptons:
      return static_cast<double>(objects.l.size());
    case Scalar::kNElectrons:
      return static_cast<double>(objects.e.size());
    case Scalar::kNMuons:
      return static_cast<double>(objects.mu.size());
    case Scalar::kNTaus:
      return static_cast<double>(objects.tau.size());
    case Scalar::kNPhotons:
      return static_cast<double>(objects.a.size());
    case Scalar::kNNeutrinos:
      return static_cast<double>(objects.v.size());
  }
  return 0.0;
}

double AttributeOf(const PhysicsObject& object, int which) {
  const FourMomentum& p = object.momentum;
  switch (static_cast<Attribute>(which)) {
    case Attribute::kPt:
      return p.pt();
    case Attribute::kEta:
      return p.eta();
    case Attribute::kPhi:
      return p.phi();
    case Attribute::kM:
      return p.m();
    case Attribute::kE:
      return p.e();
    case Attribute::kPx:
      return p.px();
    case Attribute::kPy:
      return p.py();
    case Attribute::kPz:
      return p.pz();
    case Attribute::kMt:
      return p.mt();
    case Attribute::kTheta:
      return p.theta();
    case Attribute::kRapidity:
      return p.rapidity();
    case Attribute::kP:
      return p.p();
    case Attribute::kCharge:
      return object.charge;
    case Attribute::kPdgId:
      return object.pdg_id;
    case Attribute::kBTag:
      return object.b_tag ? 1.0 : 0.0;
    case Attribute::kTTag:
      return object.t_tag ? 1.0 : 0.0;
    case Attribute::kTauTag:
      return object.tau_tag ? 1.0 : 0.0;
  }
  return 0.0;
}

bool EvaluateNumber(const Node& node, const Context& context, double* value);

bool EvaluateObject(const Node& node,
                    const Context& context,
                    PhysicsObject* value) {
  switch (node.op) {
    case Node::Op::kNamedObject:
      switch (static_cast<NamedObject>(node.which)) {
        case NamedObject::kMet:
          *value = context.objects.met;
          return true;
        case NamedObject::kVisible:
          *value = PhysicsObject{};
          value->momentum = context.objects.visible;
          return true;
        case NamedObject::kAll:
          *value = PhysicsObject{};
          value->momentum =
              context.objects.visible + context.objects.met.momentum;
          return true;
      }
      return false;
    case Node::Op::kIndex: {
      std::vector<PhysicsObject> scratch;
      const std::vector<PhysicsObject>& collection =
          CollectionOf(context.objects, *node.children[0], &scratch);
      double index = 0.0;
      if (!EvaluateNumber(*node.children[1], context, &index)) return false;
      if (index != std::floor(index)) return false;
      const double size = static_cast<double>(collection.size());
      if (index < 0.0) index += size;
      if (!(index >= 0.0 && index < size)) return false;
      *value = collection[static_cast<std::size_t>(index)];
      return true;
    }
    case Node::Op::kAdd:
    case Node::Op::kSubtract: {
      PhysicsObject right;
      if (!EvaluateObject(*node.children[0], context, value) ||
          !EvaluateObject(*node.children[1], context, &right)) {
        return false;
      }
      const bool add = node.op == Node::Op::kAdd;
      value->momentum = add ? value->momentum + right.momentum
                            : value->momentum - right.momentum;
      value->charge =
          add ? value->charge + right.charge : value->charge - right.charge;
      value->pdg_id = 0;
      value->b_tag = value->t_tag = value->tau_tag = false;
      return true;
    }
    case Node::Op::kNegate:
      if (!EvaluateObject(*node.children[0], context, value)) return false;
      value->momentum = -value->momentum;
      value->charge = -value->charge;
      return true;
    case Node::Op::kMultiply:
    case Node::Op::kDivide: {
      const bool object_first = node.children[0]->type == Type::kObject;
      double factor = 0.0;
      if (!EvaluateObject(
              *node.children[object_first ? 0 : 1], context, value) ||
          !EvaluateNumber(
              *node.children[object_first ? 1 : 0], context, &factor)) {
        return false;
      }
      if (node.op == Node::Op::kDivide) {
        if (factor == 0.0) return false;
        factor = 1.0 / factor;
      }
      value->momentum *= factor;
      return true;
    }
    case Node::Op::kFunction: {  // sum(collection)
      std::vector<PhysicsObject> scratch;
      const std::vector<PhysicsObject>& collection =
          CollectionOf(context.objects, *node.children[0], &scratch);
      *value = PhysicsObject{};
      for (const PhysicsObject& object : collection) {
        value->momentum += object.momentum;
        value->charge += object.charge;
      }
      return true;
    }
    default:
      return false;
  }
}

bool Compare(Comparison comparison, double a, double b) {
  switch (comparison) {
    case Comparison::kLess:
      return a < b;
    case Comparison::kLessEqual:
      return a <= b;
    case Comparison::kGreater:
      return a > b;
    case Comparison::kGreaterEqual:
      return a >= b;
    case Comparison::kEqual:
      return a == b;
    case Comparison::kNotEqual:
      return a != b;
  }
  return false;
}

// The functions of two objects (and an optional reference frame). The frame
// angles describe the negatively charged object when the two have opposite
// charges (the ℓ⁻ convention), otherwise the first argument.
bool EvaluateOfObjects(const Node& node,
                       const Context& context,
                       double* value) {
  const auto function = static_cast<Function>(node.which);
  PhysicsObject a;
  PhysicsObject b;
  if (!EvaluateObject(*node.children[0], context, &a) ||
      !EvaluateObject(*node.children[1], context, &b)) {
    return false;
  }
  if (function == Function::kDeltaR) {
    *value = DeltaR(a.momentum, b.momentum);
    return true;
  }
  if (function == Function::kDeltaPhi) {
    *value = DeltaPhi(a.momentum, b.momentum);
    return true;
  }
  if (function == Function::kDeltaEta) {
    *value = a.momentum.eta() - b.momentum.eta();
    return true;
  }
  if (function == Function::kSignedDeltaPhi) {
    *value = SignedDeltaPhi(a.momentum, b.momentum);
    return true;
  }
  if (function == Function::kDeltaY) {
    *value = a.momentum.rapidity() - b.momentum.rapidity();
    return std::isfinite(*value);
  }
  if (a.charge > 0.0 && b.charge < 0.0) std::swap(a, b);
  std::optional<FrameAngles> angles;
  if (function == Function::kCosThetaCs || function == Function::kPhiCs) {
    angles = CollinsSoperAngles(a.momentum, b.momentum);
  } else if (node.children.size() == 3) {
    PhysicsObject reference;
    if (!EvaluateObject(*node.children[2], context, &reference)) return false;
    angles = HelicityAngles(a.momentum, b.momentum, reference.momentum);
  } else {
    angles = HelicityAngles(a.momentum, b.momentum);
  }
  if (!angles) return false;
  const bool polar =
      function == Function::kCosThetaCs || function == Function::kCosThetaDecay;
  *value = polar ? angles->cos_theta : angles->phi;
  return true;
}

bool EvaluateFunction(const Node& node, const Context& context, double* value) {
  const auto function = static_cast<Function>(node.which);
  switch (function) {
    case Function::kLen: {
      std::vector<PhysicsObject> scratch;
      *value = static_cast<double>(
          CollectionOf(context.objects, *node.children[0], &scratch).size());
      return true;
    }
    case Function::kDeltaR:
    case Function::kDeltaPhi:
    case Function::kDeltaEta:
    case Function::kSignedDeltaPhi:
    case Function::kDeltaY:
    case Function::kCosThetaCs:
    case Function::kPhiCs:
    case Function::kCosThetaDecay:
    case Function::kPhiDecay:
      return EvaluateOfObjects(node, context, value);
    case Function::kMin:
    case Function::kMax: {
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        double argument = 0.0;
        if (!EvaluateNumber(*node.children[i], context, &argument))
          return false;
        if (i == 0 || (function == Function::kMin ? argument < *value
                                                  : argument > *value)) {
          *value = argument;
        }
      }
      return true;
    }
    default:
      break;
  }
  double x = 0.0;
  if (!EvaluateNumber(*node.children[0], context, &x)) return false;
  double y = 0.0;
  if (node.children.size() > 1 &&
      !EvaluateNumber(*node.children[1], context, &y)) {
    return false;
  }
  switch (function) {
    case Function::kSqrt:
      if (x < 0.0) return false;
      *value = std::sqrt(x);
      return true;
    case Function::kAbs:
      *value = std::abs(x);
      return true;
    case Function::kExp:
      *value = std::exp(x);
      return true;
    case Function::kLog:
    case Function::kLog10:
      if (x <= 0.0) return false;
      *value = function == Function::kLog ? std::log(x) : std::log10(x);
      return true;
    case Function::kSin:
      *value = std::sin(x);
      return true;
    case Function::kCos:
      *value = std::cos(x);
      return true;
    case Function::kTan:
      *value = std::tan(x);
      return true;
    case Function::kAsin:
    case Function::kAcos:
      if (x < -1.0 || x > 1.0) return false;
      *value = function == Function::kAsin ? std::asin(x) : std::acos(x);
      return true;
    case Function::kAtan:
      *value = std::atan(x);
      return true;
    case Function::kSinh:
      *value = std::sinh(x);
      return true;
    case Function::kCosh:
      *value = std::cosh(x);
      return true;
    case Function::kTanh:
      *value = std::tanh(x);
      return true;
    case Function::kFloor:
      *value = std::floor(x);
      return true;
    case Function::kCeil:
      *value = std::ceil(x);
      return true;
    case Function::kAtan2:
      *value = std::atan2(x, y);
      return true;
    case Function::kPow:
      if (x == 0.0 && y < 0.0) return false;
      *value = std::pow(x, y);
      return !std::isnan(*value) || std::isnan(x) || std::isnan(y);
    default:
      return false;
  }
}

bool EvaluateNumber(const Node& node, const Context& context, double* value) {
  switch (node.op) {
    case Node::Op::kConstant:
      *value = node.number;
      return true;
    case Node::Op::kObservable:
      *value = context.observables[node.which];
      return true;
    case Node::Op::kScalar:
      *value = ScalarOf(context.objects, node.which);
      return true;
    case Node::Op::kAttribute: {
      PhysicsObject object;
      if (!EvaluateObject(*node.children[0], context, &object)) return false;
      *value = AttributeOf(object, node.which);
      return true;
    }
    case Node::Op::kNegate:
      if (!EvaluateNumber(*node.children[0], context, value)) return false;
      *value = -*value;
      return true;
    case Node::Op::kNot:
      if (!EvaluateNumber(*node.children[0], context, value)) return false;
      *value = *value != 0.0 ? 0.0 : 1.0;
      return true;
    case Node::Op::kAnd:
    case Node::Op::kOr: {
      double left = 0.0;
      if (!EvaluateNumber(*node.children[0], context, &left)) return false;
      const bool left_true = left != 0.0;
      if (node.op == Node::Op::kAnd ? !left_true : left_true) {
        *value = left_true ? 1.0 : 0.0;
        return true;
      }
      double right = 0.0;
      if (!EvaluateNumber(*node.children[1], context, &right)) return false;
      *value = right != 0.0 ? 1.0 : 0.0;
      return true;
    }
    case Node::Op::kCompare: {
      double left = 0.0;
      if (!EvaluateNumber(*node.children[0], context, &left)) return false;
      for (std::size_t i = 0; i < node.comparisons.size(); ++i) {
        double right = 0.0;
        if (!EvaluateNumber(*node.children[i + 1], context, &right))
          return false;
        if (!Compare(node.comparisons[i], left, right)) {
          *value = 0.0;
          return true;
        }
        left = right;
      }
      *value = 1.0;
      return true;
    }
    case Node::Op::kAdd:
    case Node::Op::kSubtract:
    case Node::Op::kMultiply:
    case Node::Op::kDivide:
    case Node::Op::kPower: {
      double left = 0.0;
      double right = 0.0;
      if (!EvaluateNumber(*node.children[0], context, &left) ||
          !EvaluateNumber(*node.children[1], context, &right)) {
        return false;
      }
      switch (node.op) {
        case Node::Op::kAdd:
          *value = left + right;
          return true;
        case Node::Op::kSubtract:
          *value = left - right;
          return true;
        case Node::Op::kMultiply:
          *value = left * right;
          return true;
        case Node::Op::kDivide:
          if (right == 0.0) return false;
          *value = left / right;
          return true;
        default:
          if (left == 0.0 && right < 0.0) return false;
          *value = std::pow(left, right);
          return !std::isnan(*value) || std::isnan(left) || std::isnan(right);
      }
    }
    case Node::Op::kFunction:
      return EvaluateFunction(node, context, value);
    default:
      return false;
  }
}

std::string FormatNumber(double number) {
  std::ostringstream out;
  out.precision(17);
  out << number;
  return out.str();
}

void Print(const Node& node, std::string* out) {
  auto binary = [&](const char* op) {
    *out += "(";
    Print(*node.children[0], out);
    *out += std::string(" ") + op + " ";
    Print(*node.children[1], out);
    *out += ")";
  };
  switch (node.op) {
    case Node::Op::kConstant:
      *out += node.name.empty() ? FormatNumber(node.number) : node.name;
      return;
    case Node::Op::kObservable:
      *out += node.name;
      return;
    case Node::Op::kScalar:
      *out += NameOf(kScalars, static_cast<Scalar>(node.which));
      return;
    case Node::Op::kCollection:
      if (static_cast<Collection>(node.which) == Collection::kPdg) {
        *out += kPdgFunction;
        for (std::size_t i = 0; i < node.pdg_ids.size(); ++i) {
          *out += (i == 0 ? "(" : ", ") + std::to_string(node.pdg_ids[i]);
        }
        *out += ")";
        return;
      }
      *out += NameOf(kCollections, static_cast<Collection>(node.which));
      return;
    case Node::Op::kNamedObject:
      *out += NameOf(kNamedObjects, static_cast<NamedObject>(node.which));
      return;
    case Node::Op::kIndex:
      Print(*node.children[0], out);
      *out += "[";
      Print(*node.children[1], out);
      *out += "]";
      return;
    case Node::Op::kAttribute:
      Print(*node.children[0], out);
      *out += ".";
      *out += NameOf(kAttributes, static_cast<Attribute>(node.which));
      return;
    case Node::Op::kNegate:
      *out += "(-";
      Print(*node.children[0], out);
      *out += ")";
      return;
    case Node::Op::kNot:
      *out += "(not ";
      Print(*node.children[0], out);
      *out += ")";
      return;
    case Node::Op::kAdd:
      return binary("+");
    case Node::Op::kSubtract:
      return binary("-");
    case Node::Op::kMultiply:
      return binary("*");
    case Node::Op::kDivide:
      return binary("/");
    case Node::Op::kPower:
      return binary("**");
    case Node::Op::kAnd:
      return binary("and");
    case Node::Op::kOr:
      return binary("or");
    case Node::Op::kCompare:
      *out += "(";
      Print(*node.children[0], out);
      for (std::size_t i = 0; i < node.comparisons.size(); ++i) {
        *out += std::string(" ") + ComparisonText(node.comparisons[i]) + " ";
        Print(*node.children[i + 1], out);
      }
      *out += ")";
      return;
    case Node::Op::kFunction:
      *out += NameOf(kFunctions, static_cast<Function>(node.which));
      *out += "(";
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) *out += ", ";
        Print(*node.children[i], out);
      }
      *out += ")";
      return;
  }
}

}  // namespace

Expression::Expression(const std::string& text,
                       const std::vector<std::string>& observable_names,
                       const std::string& label)
    : text_(text) {
  NodePtr root = Parser(text, observable_names, label).Run();
  if (root->type != Type::kNumber) {
    throw InvalidInput(label + ": column 1: expected a number, got " +
                       TypeName(root->type) +
                       " (add an attribute such as .pt)" + Quote(text));
  }
  root_ = std::move(root);
}

std::optional<double> Expression::Evaluate(
    const EventObjects& objects, const double* observable_values) const {
  const Context context{objects, observable_values};
  double value = 0.0;
  if (!EvaluateNumber(*root_, context, &value)) return std::nullopt;
  return value;
}

std::string Expression::Canonical() const {
  std::string out;
  Print(*root_, &out);
  return out;
}

bool IsReservedExpressionName(const std::string& name) {
  return Find(kCollections, name) != nullptr ||
         Find(kNamedObjects, name) != nullptr ||
         Find(kScalars, name) != nullptr || Find(kFunctions, name) != nullptr ||
         Find(kConstants, name) != nullptr || name == kPdgFunction ||
         name == "and" || name == "or" || name == "not";
}

}  // namespace goldmine::mining
