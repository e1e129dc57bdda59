"""The situations a person can be in, and the steps that answer each one.

Product logic, defined in code and translated with gettext. Each step names the directory
service it needs (directory.models.ServiceSlug) and says, briefly and calmly, what to do and
what not to do. Read by children and by people in shock: plain words, short sentences, and
reassurance only where it is true.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation, ServiceSlug

# Who is asking: a young person about themselves, a parent or carer, another adult or a professional.
CHILD, PARENT, ADULT = "child", "parent", "adult"
WHO_CHOICES = (
    (CHILD, _("I'm under 18 and this is about me")),
    (PARENT, _("I'm a parent or carer")),
    (ADULT, _("I'm another adult or a professional")),
)
WHO_SHORT = {CHILD: _("Under 18"), PARENT: _("Parent or carer"), ADULT: _("Other adult")}


@dataclass(frozen=True)
class Step:
    service: str
    heading: Promise
    guidance: Promise
    do: tuple[Promise, ...] = ()
    dont: tuple[Promise, ...] = ()
    # The same step told to an adult about a child (a parent, a teacher), where the words differ.
    heading_adult: Promise | None = None
    guidance_adult: Promise | None = None

    def heading_for(self, who: str) -> Promise:
        return self.heading_adult if who != CHILD and self.heading_adult else self.heading

    def guidance_for(self, who: str) -> Promise:
        return self.guidance_adult if who != CHILD and self.guidance_adult else self.guidance


@dataclass(frozen=True)
class Situation:
    slug: str
    title: Promise
    steps: tuple[Step, ...]
    reassurance: Promise | None = None
    # Told to an adult about a child, where the words for a young person would be wrong.
    title_adult: Promise | None = None
    reassurance_adult: Promise | None = None
    # Who is asking when the person has not said: a young person for what young people describe about
    # themselves, otherwise an adult.
    default_who: str = ADULT

    @property
    def services(self) -> list[str]:
        return [step.service for step in self.steps]

    def title_for(self, who: str) -> Promise:
        return self.title_adult if who != CHILD and self.title_adult else self.title

    def reassurance_for(self, who: str) -> Promise | None:
        return self.reassurance_adult if who != CHILD and self.reassurance_adult else self.reassurance


NOT_YOUR_FAULT = _("You are not in trouble, and it is not your fault.")
NO_NEED_TO_BE_SURE = _("You don't need to be sure. Telling someone is the right thing to do.")

DO_NOT_SAVE_IMAGES = _(
    "Do not download, screenshot, save or forward the images or videos, not even as evidence. "
    "That is a crime in most countries, and every copy harms the child again."
)
NOTE_THE_ADDRESS = _("Copy the web address (the link) of the page where you saw it.")
KEEP_THE_MESSAGES = _("Keep the messages. Write down the username, the profile link and the app or site.")
DO_NOT_DELETE_CHAT = _("Don't delete the chat or the account: the police may need them.")
DO_NOT_PAY = _("Do not pay and do not send anything more. Paying usually leads to more demands.")
BLOCK_AFTER_REPORTING = _("Block the person after you have reported them.")

SITUATIONS: dict[str, Situation] = {
    situation.slug: situation
    for situation in [
        Situation(
            slug="danger-now",
            title=_("A child is in danger right now"),
            reassurance=_("Act now: call the emergency number. You don't need to be sure."),
            steps=(
                Step(
                    ServiceSlug.EMERGENCY,
                    _("Call the emergency number now"),
                    _("Say where the child is and what is happening. Stay on the line and follow what they tell you."),
                ),
                Step(
                    ServiceSlug.REPORT_POLICE,
                    _("Tell the police what happened online"),
                    _("When the child is safe, the police can find out who did this and stop it happening again."),
                    do=(KEEP_THE_MESSAGES,),
                    dont=(DO_NOT_DELETE_CHAT, DO_NOT_SAVE_IMAGES),
                ),
                Step(
                    ServiceSlug.SUPPORT_CHILD,
                    _("Get support for the child"),
                    _("A child helpline can support the child, and you, afterwards. It is free and confidential."),
                ),
            ),
        ),
        Situation(
            slug="csam-found",
            title=_("I saw sexual images or videos of a child online"),
            reassurance=_(
                "Thank you for doing something about it. You don't need to be sure it is illegal: "
                "the people at the hotline check."
            ),
            steps=(
                Step(
                    ServiceSlug.REPORT_CSAM,
                    _("Report it to a hotline"),
                    _(
                        "Give the hotline the web address. Their analysts check it and, if it is illegal, "
                        "have it removed and pass it to the police. You can usually report anonymously."
                    ),
                    do=(NOTE_THE_ADDRESS, _("Report it once, on the hotline's own form.")),
                    dont=(DO_NOT_SAVE_IMAGES, _("Do not contact the person who posted it.")),
                ),
                Step(
                    ServiceSlug.REPORT_POLICE,
                    _("Tell the police if you know more"),
                    _(
                        "If you know who made or shared the images, or you think a child is in danger, "
                        "tell the police as well. Give them the web address, not the images."
                    ),
                    dont=(DO_NOT_SAVE_IMAGES,),
                ),
                Step(
                    ServiceSlug.SUPPORT_ADULT,
                    _("Talk to someone about what you saw"),
                    _("Seeing this can be very upsetting. It is normal to feel shocked. You can talk to someone."),
                ),
            ),
        ),
        Situation(
            slug="my-images",
            title=_("Sexual images of me from when I was under 18 are online or being shared"),
            reassurance=NOT_YOUR_FAULT,
            title_adult=_("Sexual images of a child I care for are online or being shared"),
            reassurance_adult=_(
                "It is not the child's fault. Tell them they are not in trouble and that you will help."
            ),
            default_who=CHILD,
            steps=(
                Step(
                    ServiceSlug.REMOVE_IMAGES,
                    _("Get the images taken down"),
                    _(
                        "These services help stop the images spreading on big platforms. The images stay on your "
                        "device: only a digital fingerprint of them is shared."
                    ),
                    dont=(_("Don't send the images to anyone, not even to prove what happened."),),
                    guidance_adult=_(
                        "These services help stop the images spreading on big platforms. The child uses them on "
                        "their own device: the images never leave it."
                    ),
                ),
                Step(
                    ServiceSlug.REPORT_CSAM,
                    _("Report where they are online"),
                    _(
                        "Sexual images of anyone under 18 are illegal. Give a hotline the web address and they "
                        "will work to have the images removed."
                    ),
                    do=(NOTE_THE_ADDRESS,),
                    dont=(_("Don't download or share the images yourself."),),
                ),
                Step(
                    ServiceSlug.SUPPORT_CHILD,
                    _("Talk to someone"),
                    _("A child helpline listens and won't judge you. It is free and you don't have to give your name."),
                    heading_adult=_("Support for the child"),
                    guidance_adult=_("The child can talk to a child helpline too, without giving their name."),
                ),
                Step(
                    ServiceSlug.REPORT_POLICE,
                    _("Tell the police if someone is threatening you or sharing them"),
                    _("Sharing sexual images of a child is a crime. The police can help stop the person."),
                    heading_adult=_("Tell the police if someone is threatening the child or sharing the images"),
                    do=(KEEP_THE_MESSAGES,),
                    dont=(DO_NOT_DELETE_CHAT,),
                ),
            ),
        ),
        Situation(
            slug="sextortion",
            title=_("Someone is threatening to share sexual images of me"),
            reassurance=_(
                "You are not in trouble, and it is not your fault. The person threatening you is the one "
                "committing a crime. You can get through this."
            ),
            title_adult=_("Someone is threatening to share sexual images of a child I care for"),
            reassurance_adult=_(
                "The child is not in trouble and it is not their fault: the person threatening them is committing "
                "a crime. Stay calm and on their side."
            ),
            default_who=CHILD,
            steps=(
                Step(
                    ServiceSlug.SUPPORT_CHILD,
                    _("Talk to someone now"),
                    _("Tell an adult you trust, or contact a child helpline. You don't have to deal with this alone."),
                    do=(_("Stop replying to the person."), KEEP_THE_MESSAGES),
                    dont=(DO_NOT_PAY,),
                    heading_adult=_("Support the child now"),
                    guidance_adult=_(
                        "Tell the child they did the right thing by telling you. A helpline can help you both."
                    ),
                ),
                Step(
                    ServiceSlug.REPORT_POLICE,
                    _("Report it to the police"),
                    _(
                        "Threatening to share sexual images is a crime. Report it, and report the account to the "
                        "app or site too."
                    ),
                    do=(KEEP_THE_MESSAGES, BLOCK_AFTER_REPORTING),
                    dont=(DO_NOT_DELETE_CHAT, DO_NOT_PAY),
                ),
                Step(
                    ServiceSlug.REMOVE_IMAGES,
                    _("Stop the images spreading"),
                    _(
                        "If images of you were shared, or you are afraid they will be, these services help stop "
                        "them spreading on platforms. The images stay on your device."
                    ),
                    guidance_adult=_(
                        "If images were shared, or the child is afraid they will be, these services help stop them "
                        "spreading. The images stay on the child's device."
                    ),
                ),
            ),
        ),
        Situation(
            slug="grooming",
            title=_("An adult is contacting a child online in a sexual or worrying way"),
            reassurance=_(
                "You don't need to be sure. If it feels wrong, it is right to ask for help. "
                "It is never the child's fault."
            ),
            steps=(
                Step(
                    ServiceSlug.REPORT_POLICE,
                    _("Report it to the police"),
                    _("An adult asking a child for sexual images, or to meet, is a crime in most countries."),
                    do=(KEEP_THE_MESSAGES, BLOCK_AFTER_REPORTING),
                    dont=(DO_NOT_DELETE_CHAT, _("Don't confront the person or pretend to be the child.")),
                ),
                Step(
                    ServiceSlug.SUPPORT_ADULT,
                    _("Get advice as a parent, carer or teacher"),
                    _("A helpline can help you talk to the child calmly and keep them safe."),
                ),
                Step(
                    ServiceSlug.SUPPORT_CHILD,
                    _("Support for the child"),
                    _("The child can talk to a child helpline too. It is free and confidential."),
                ),
            ),
        ),
        Situation(
            slug="told-me",
            title=_("A child told me they are being abused"),
            reassurance=_(
                "Tell the child you believe them, that it is not their fault, and that telling you was right."
            ),
            steps=(
                Step(
                    ServiceSlug.EMERGENCY,
                    _("If the child is in danger now, call the emergency number"),
                    _("If the child could be hurt soon, or is with the person who hurt them, call now."),
                ),
                Step(
                    ServiceSlug.REPORT_POLICE,
                    _("Report it to the police"),
                    _("The police or child protection services decide what happens next and keep the child safe."),
                    do=(_("Write down what the child said, in their own words, and when."),),
                    dont=(
                        _("Don't ask the child lots of questions or make them repeat it."),
                        _("Don't promise to keep it a secret, and don't confront the person they named."),
                    ),
                ),
                Step(
                    ServiceSlug.SUPPORT_ADULT,
                    _("Get advice for yourself"),
                    _("A helpline can tell you what happens next and how to support the child."),
                ),
            ),
        ),
        Situation(
            slug="need-to-talk",
            title=_("I'm young and something online upset me; I want to talk to someone"),
            reassurance=_("Whatever happened, you can talk to someone. You are not in trouble."),
            title_adult=_("A child I care for is upset by something online and needs to talk"),
            reassurance_adult=_("Listen calmly and thank them for telling you. They are not in trouble."),
            default_who=CHILD,
            steps=(
                Step(
                    ServiceSlug.SUPPORT_CHILD,
                    _("Talk to someone who helps young people"),
                    _("It is free and confidential, and you don't have to give your name."),
                    heading_adult=_("Someone the child can talk to"),
                ),
                Step(
                    ServiceSlug.ADVICE,
                    _("Tips to stay safe online"),
                    _("How to block, report and check who can see what you post."),
                ),
            ),
        ),
        Situation(
            slug="advice",
            title=_("I'm a parent, carer or professional and want advice"),
            steps=(
                Step(
                    ServiceSlug.ADVICE,
                    _("Advice on keeping children safe online"),
                    _("Guides for parents, carers and schools from the country's Safer Internet Centre and others."),
                ),
                Step(
                    ServiceSlug.SUPPORT_ADULT,
                    _("Talk to a helpline about a child you are worried about"),
                    _("They can help you decide what to do next."),
                ),
            ),
        ),
        Situation(
            slug="own-thoughts",
            title=_("I'm worried about my own sexual thoughts about children"),
            reassurance=_(
                "Asking for help is the right step. These services are confidential and do not judge you; "
                "they help people make sure they never harm a child."
            ),
            steps=(
                Step(
                    ServiceSlug.PREVENTION,
                    _("Get confidential help"),
                    _("Talk to someone trained to help, or use an anonymous self-help programme."),
                    dont=(_("If you have looked at sexual images of children, stop now and get help."),),
                ),
            ),
        ),
        Situation(
            slug="not-sure",
            title=_("I'm not sure / something else happened"),
            reassurance=NO_NEED_TO_BE_SURE,
            default_who=CHILD,
            steps=(
                Step(
                    ServiceSlug.SUPPORT_CHILD,
                    _("Talk to someone who helps young people"),
                    _("They listen and help you work out what to do. It is free and confidential."),
                    heading_adult=_("Talk it through with a helpline"),
                    guidance_adult=_("They help you work out what to do. It is free and confidential."),
                ),
                Step(
                    ServiceSlug.REPORT_CSAM,
                    _("If you saw sexual images of a child, report them"),
                    _("Give the hotline the web address, never the images. You can usually stay anonymous."),
                ),
            ),
        ),
    ]
}

# What happens after a person contacts each kind of service (shown under its entries).
WHAT_HAPPENS_NEXT = {
    Organisation.Kind.HOTLINE: _(
        "Trained analysts look at the web address you give. If the content is illegal, they work to have it "
        "removed and pass it to the police. You can usually stay anonymous."
    ),
    Organisation.Kind.REPORTING_PORTAL: _(
        "Analysts at the Internet Watch Foundation look at what you report and work to have illegal images "
        "removed. You can stay anonymous."
    ),
    Organisation.Kind.POLICE: _(
        "The police record what you tell them and may contact you for more details. If a child is in danger, "
        "they act quickly."
    ),
    Organisation.Kind.CHILD_HELPLINE: _(
        "A trained person listens, does not judge, and helps you decide what to do. What you say stays "
        "confidential unless someone is in serious danger."
    ),
    Organisation.Kind.SIC_HELPLINE: _(
        "A trained adviser listens and helps with online problems. It is confidential and you don't have to "
        "give your name."
    ),
    Organisation.Kind.AWARENESS_CENTRE: _("They publish advice and guides; they do not take reports."),
    Organisation.Kind.WORLDWIDE_SERVICE: _("A service that works for people in any country."),
    Organisation.Kind.DIRECTORY: _("A list of services by country: look for the one where you live."),
}


def get_situation(slug: str) -> Situation | None:
    return SITUATIONS.get(slug)


# The printable country card: what a school or youth worker would pin on a wall.
CARD_STEPS = (
    Step(
        ServiceSlug.REPORT_CSAM,
        _("Report sexual images of children"),
        _("Give the web address; never share the images."),
    ),
    Step(ServiceSlug.SUPPORT_CHILD, _("Children and young people can talk to"), _("Free and confidential.")),
    Step(ServiceSlug.REPORT_POLICE, _("Report grooming, sextortion or abuse to the police"), _("Keep the messages.")),
    Step(ServiceSlug.REMOVE_IMAGES, _("Get your own images taken down"), _("For images taken when you were under 18.")),
    Step(ServiceSlug.SUPPORT_ADULT, _("Parents, carers and professionals"), _("Advice on how to help a child.")),
)
